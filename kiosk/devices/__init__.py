"""Devices the kiosk talks to beside the screen: each is a capability behind one small
interface, opened after the first paint (like the receipt printer) and run off the GUI
thread. ``bill_acceptor`` is the cash note acceptor (eSSP in ``essp/``). docs/devices.md."""
