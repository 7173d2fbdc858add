"""Errors an installer understands, each naming the camera's address.

OnvifError
├── CameraUnreachableError   nothing answers at that address and port
├── NotOnvifError            something answers, but not ONVIF
├── WrongCredentialsError    the camera refused the user name or password
├── ClockSkewError           refused, and its clock is far from ours (WS-Security is time-based)
└── NotSupportedError        the camera does not offer that feature
"""

from __future__ import annotations


class OnvifError(Exception):
    kind = "error"

    def __init__(self, address: str, detail: str) -> None:
        super().__init__(f"{address}: {detail}")
        self.address = address
        self.detail = detail


class CameraUnreachableError(OnvifError):
    kind = "unreachable"


class NotOnvifError(OnvifError):
    kind = "not_onvif"


class WrongCredentialsError(OnvifError):
    kind = "wrong_credentials"


class ClockSkewError(OnvifError):
    kind = "clock_skew"


class NotSupportedError(OnvifError):
    kind = "not_supported"
