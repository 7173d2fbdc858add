"""Licence-plate recognition models and their runtimes (OpenVINO on CPU, CUDA on GPU servers).

Depends on neither the UI nor the service, so a worker or a benchmark can import it alone.
"""
