"""Each pytest-xdist worker gets its own D-Bus session with its own unlocked gnome-keyring.

`make test` runs the suite on both cores (pytest-xdist). The kiosk's vault sweeps its
service's items at start, and tests reuse service names ("lobby-kiosk-e2e"), so two workers on
one Secret Service would read and delete each other's secrets. A private session bus and
keyring per worker keeps each worker's keyring as private as the single run's was: the same
real gnome-keyring the whole run used before, only one per worker.

The worker owns its keyring daemon: it runs in the foreground as the worker's child, in a
session of its own (no signal meant for a test's process group reaches it), and its bus has
no D-Bus activation, so a daemon that ended is never quietly replaced by one that starts
locked. After every test the worker checks that the daemon still runs and its collection is
still unlocked (``check``); a test that broke it fails by name, and the keyring is started
again for the tests after it (docs/testing.md, "A worker's keyring").

The worker's bus is started only when the run itself sits in a keyring session (what
`scripts/with-keyring.sh` sets up); without D-Bus or gnome-keyring nothing is started and the
keyring tests skip and say why, as before.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from jeepney import DBusAddress, Properties, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection

PASSWORD = b"kiosk-test"
SERVICE = DBusAddress("/org/freedesktop/secrets", bus_name="org.freedesktop.secrets",
                      interface="org.freedesktop.Secret.Service")

# A session bus as dbus-daemon's own session.conf makes it, less the service folders: no
# name on this bus is ever started on demand.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class KeyringBroken(RuntimeError):
    """The worker's keyring daemon ended, or its collection is no longer unlocked."""


@dataclass
class PrivateKeyring:
    """A running dbus-daemon and gnome-keyring-daemon, and the folder they live in."""

    home: Path
    env: dict[str, str]
    bus: subprocess.Popen[bytes]
    saved_env: dict[str, str | None]
    daemon: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    _connection: DBusConnection | None = field(default=None, repr=False)

    @property
    def address(self) -> str:
        return self.env["DBUS_SESSION_BUS_ADDRESS"]

    def start_daemon(self) -> None:
        """Start (or start again) the keyring daemon and wait for an unlocked collection.
        ``--unlock`` reads the password from stdin and unlocks the login keyring, creating it
        the first time; the name comes on the bus before the unlock, so wait for it."""
        log = (self.home / "gnome-keyring.log").open("ab")
        self.daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log, env=self.env,
            start_new_session=True,
        )
        log.close()
        assert self.daemon.stdin is not None
        self.daemon.stdin.write(PASSWORD)
        self.daemon.stdin.close()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.daemon.poll() is not None:
                raise KeyringBroken(f"gnome-keyring-daemon ended at start: {self.log_tail()}")
            try:
                self._ensure_unlocked()
                return
            except KeyringBroken:
                time.sleep(0.05)
        raise KeyringBroken("the worker's keyring had no unlocked default collection in 15 s")

    def check(self) -> None:
        """Raise KeyringBroken if the daemon ended or its default collection is locked."""
        if self.daemon is None or self.daemon.poll() is not None:
            code = None if self.daemon is None else self.daemon.returncode
            raise KeyringBroken(f"gnome-keyring-daemon ended (status {code}): {self.log_tail()}")
        self._ensure_unlocked()

    def restart_daemon(self) -> None:
        self._stop_daemon()
        self.restarts += 1
        self.start_daemon()

    def log_tail(self) -> str:
        path = self.home / "gnome-keyring.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return text[-800:].strip() or "(it wrote nothing)"

    def _ensure_unlocked(self) -> None:
        try:
            if self._connection is None:
                self._connection = open_dbus_connection(bus=self.address)
            path = self._connection.send_and_get_reply(
                new_method_call(SERVICE, "ReadAlias", "s", ("default",)), timeout=5).body[0]
            if path == "/":
                raise KeyringBroken("the Secret Service has no default collection")
            collection = DBusAddress(path, bus_name="org.freedesktop.secrets",
                                     interface="org.freedesktop.Secret.Collection")
            locked = self._connection.send_and_get_reply(
                Properties(collection).get("Locked"), timeout=5).body[0][1]
        except KeyringBroken:
            raise
        except Exception as exc:  # not on the bus (yet): say what it said, ask afresh next time
            if self._connection is not None:
                self._connection.close()
                self._connection = None
            raise KeyringBroken(f"the Secret Service did not answer: {exc!r}") from exc
        if locked:
            raise KeyringBroken(f"the default collection {path} is locked")

    def _stop_daemon(self) -> None:
        if self.daemon is not None and self.daemon.poll() is None:
            self.daemon.terminate()
            try:
                self.daemon.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                self.daemon.wait()

    def stop(self) -> None:
        """Stop the keyring daemon and the bus, and give the process its environment back."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._stop_daemon()
        if self.bus.poll() is None:
            self.bus.send_signal(signal.SIGTERM)
            try:
                self.bus.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.bus.kill()
                self.bus.wait()
        for name, value in self.saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(self.home, ignore_errors=True)


def wanted() -> bool:
    """True in an xdist worker of a run that `scripts/with-keyring.sh` put in a keyring
    session, on a machine that has the daemons."""
    return (
        bool(os.environ.get("PYTEST_XDIST_WORKER"))
        and bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS"))
        and shutil.which("dbus-daemon") is not None
        and shutil.which("gnome-keyring-daemon") is not None
    )


def start(worker: str) -> PrivateKeyring:
    """Start this worker's bus and keyring and point this process (and the processes it
    starts) at them."""
    home = Path(tempfile.mkdtemp(prefix=f"kiosk-keyring-{worker}-"))
    (home / "data").mkdir()
    config = home / "bus.conf"
    config.write_text(BUS_CONFIG.format(socket=home / "bus"))
    env = {**os.environ, "XDG_DATA_HOME": str(home / "data"), "XDG_RUNTIME_DIR": str(home)}
    env.pop("GNOME_KEYRING_CONTROL", None)
    bus = subprocess.Popen(
        ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, start_new_session=True,
    )
    assert bus.stdout is not None
    address = bus.stdout.readline().decode().strip()
    if not address:
        bus.kill()
        raise RuntimeError(f"dbus-daemon for worker {worker} printed no address")
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    names = ("DBUS_SESSION_BUS_ADDRESS", "XDG_DATA_HOME", "XDG_RUNTIME_DIR")
    keyring = PrivateKeyring(home, env, bus, {name: os.environ.get(name) for name in names})
    try:
        keyring.start_daemon()
    except BaseException:
        keyring.stop()
        raise
    for name in names:
        os.environ[name] = env[name]
    return keyring
