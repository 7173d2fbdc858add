"""A production ``mediamtx.yml`` derived from the service's settings.

Paths are not listed: the service adds them through the Control API. Authentication goes
through the service's hook, so MediaMTX holds no credentials of its own, and the Control API
accepts only the token the service derives from its master secret.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import yaml

from gtvision.contract import API_PREFIX
from gtvision.services.settings import Settings


def _listen(url: str, default_port: int) -> str:
    return f":{urlsplit(url).port or default_port}"


def mediamtx_config(settings: Settings) -> dict[str, Any]:
    hook = settings.mediamtx_auth_hook_url or (
        f"http://{settings.host}:{settings.port}{API_PREFIX}/media/auth"
    )
    api = settings.mediamtx_api_url or "http://127.0.0.1:9997"
    return {
        "logLevel": "info",
        "logStructured": True,
        "readTimeout": "10s",
        "writeTimeout": "10s",
        "authMethod": "http",
        "authHTTPAddress": hook,
        "authHTTPExclude": [],
        "api": True,
        "apiAddress": _listen(api, 9997),
        "metrics": True,
        "metricsAddress": ":9998",
        "playback": True,
        "playbackAddress": ":9996",
        "rtsp": True,
        "rtspTransports": ["tcp", "udp"],
        "rtspAddress": _listen(settings.mediamtx_rtsp_url, 8554),
        "rtmp": False,
        "srt": False,
        "moq": False,
        "hls": True,
        "hlsAddress": _listen(settings.mediamtx_hls_url, 8888),
        "hlsVariant": "lowLatency",
        "hlsSegmentCount": 7,
        "hlsSegmentDuration": "1s",
        "hlsPartDuration": "200ms",
        "hlsAlwaysRemux": False,
        "hlsAllowOrigins": ["*"],
        "webrtc": True,
        "webrtcAddress": _listen(settings.mediamtx_webrtc_url, 8889),
        "webrtcLocalUDPAddress": ":8189",
        "webrtcLocalTCPAddress": ":8189",
        "webrtcIPsFromInterfaces": True,
        "webrtcAdditionalHosts": [urlsplit(settings.mediamtx_webrtc_url).hostname or ""],
        "webrtcICEServers2": [],
        "webrtcAllowOrigins": ["*"],
        "pathDefaults": {
            "sourceOnDemand": True,
            "sourceOnDemandStartTimeout": "10s",
            "sourceOnDemandCloseAfter": "10s",
            "rtspTransport": "tcp",
            "record": False,
            "recordPath": "./recordings/%path/%Y-%m-%d_%H-%M-%S-%f",
            "recordFormat": "fmp4",
            "recordSegmentDuration": "1m",
            "recordDeleteAfter": "1d",
        },
        "paths": {},
    }


def render(settings: Settings) -> str:
    header = "# Written by `gtvision-service mediamtx-config`; paths come from the Control API.\n"
    return header + yaml.safe_dump(mediamtx_config(settings), sort_keys=False)
