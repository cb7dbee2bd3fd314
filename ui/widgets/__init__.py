"""Reusable kiosk widgets: keyboard, keypad, labelled fields, banners, header, countdown."""
