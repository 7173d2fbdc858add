"""ONVIF, WS-Discovery and zeroconf: finding cameras and describing them.

Named ``gtvision.onvif`` (not a top-level ``onvif``) so that it never shadows the ``onvif``
module the ONVIF client libraries install.
"""
