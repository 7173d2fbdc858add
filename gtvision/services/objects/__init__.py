"""Object storage behind one interface: S3 (MinIO, SeaweedFS, any S3) or a local directory."""

from gtvision.services.objects.store import (
    LocalObjectStore,
    ObjectStore,
    ObjectStores,
    ObjectStoreUnavailableError,
    S3ObjectStore,
    open_object_stores,
)

__all__ = [
    "LocalObjectStore",
    "ObjectStore",
    "ObjectStoreUnavailableError",
    "ObjectStores",
    "S3ObjectStore",
    "open_object_stores",
]
