"""Dashboard aggregates: plate reads, alerts, camera health and LPR load."""
