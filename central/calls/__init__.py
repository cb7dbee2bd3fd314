"""Calls for the call platform: authorizing and rating each call (covered, charged or Single
Call), and the call simulator for demos."""
