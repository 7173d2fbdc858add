"""Live media through MediaMTX: provisioning paths, stream URLs and their access control.

Nothing outside :mod:`.mediamtx` speaks MediaMTX's JSON; the reconciler's plan is a pure diff.
"""
