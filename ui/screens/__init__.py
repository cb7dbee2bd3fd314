"""The kiosk's screens, one module each, in the order a family meets them."""
