"""The operator's desktop console (PySide6 + qasync).

It reaches the service only over HTTP/WebSocket through :mod:`gtvision.contract`, exactly as
the mobile app does, and never imports :mod:`gtvision.services`.
"""
