"""The fleet: which kiosks are alive (heartbeats), which went quiet, and which a
supervisor switched out of service."""
