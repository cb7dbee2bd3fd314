"""eSSP (Innovative Technology's Smiley Secure Protocol) for NV9/NV200 note validators.

``protocol``: the bytes (framing, stuffing, CRC, sequence flag, commands, generic responses,
poll events, the SETUP REQUEST answer). ``transport``: the host's side over a serial port
(pyserial): timeouts, retries with the same sequence flag, resync. ``device``: the
validator's side as a state machine, and ``simulator``: that device on a pseudo-terminal
for the tests, the tour and ``make demo``. docs/devices.md.
"""
