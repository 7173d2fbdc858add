"""PTZ through the service: the camera's ONVIF, its credentials kept server-side."""
