"""``gtvision-onvif``: find cameras, describe them, drive their PTZ, take a picture.

Passwords come from ``GTV_ONVIF_PASSWORD``, else the keyring (saved with ``--save``), else
a prompt. ``--json`` prints what the service's API would store.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import getpass
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gtvision.onvif.credentials import CameraCredentials, CredentialStore, CredentialStoreError
from gtvision.onvif.device import OnvifDevice, parse_address
from gtvision.onvif.discovery import probe
from gtvision.onvif.errors import OnvifError
from gtvision.onvif.events import EventKind
from gtvision.onvif.models import CameraDescription
from gtvision.onvif.snapshot import SnapshotError, http_snapshot, rtsp_snapshot
from gtvision.onvif.uris import with_credentials


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gtvision-onvif", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    discover = commands.add_parser("discover", help="find ONVIF cameras (WS-Discovery)")
    discover.add_argument("--subnet", action="append", default=[], help="probe a CIDR by unicast")
    discover.add_argument("--interface", action="append", default=[], help="multicast from IF")
    discover.add_argument("--no-multicast", action="store_true", help="unicast probes only")
    discover.add_argument("--timeout", type=float, default=2.0, help="seconds to listen")
    discover.add_argument("--json", action="store_true")

    def camera_command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("address", help="host, host:port or device-service URL")
        sub.add_argument("--user", help="camera user (default: the keyring's)")
        sub.add_argument("--save", action="store_true", help="remember the credentials")
        return sub

    info = camera_command("info", "describe a camera: device, profiles, stream URIs, PTZ")
    info.add_argument("--json", action="store_true")

    ptz = camera_command("ptz", "drive a camera's PTZ")
    ptz.add_argument(
        "action",
        choices=[
            "move",
            "continuous",
            "stop",
            "home",
            "presets",
            "set-preset",
            "goto",
            "remove-preset",
        ],
    )
    ptz.add_argument("values", nargs="*", help="pan tilt [zoom], a preset name or token")
    ptz.add_argument("--seconds", type=float, default=1.0, help="for continuous: then stop")

    snapshot = camera_command("snapshot", "save a JPEG of what the camera sees")
    snapshot.add_argument("-o", "--output", type=Path, required=True)

    events = camera_command("events", "print the camera's events (motion, tamper, …) as they come")
    events.add_argument("--seconds", type=float, help="stop after this long (default: never)")
    events.add_argument("--kind", action="append", choices=[k.value for k in EventKind])
    events.add_argument("--json", action="store_true", help="one JSON object per line")
    return parser


def _credentials(args: argparse.Namespace) -> CameraCredentials:
    host, port = parse_address(args.address)
    key = f"{host}:{port}"
    stored = None
    with contextlib.suppress(CredentialStoreError):
        stored = CredentialStore().load(key)
    user = args.user or (stored.username if stored else None) or "admin"
    password = os.environ.get("GTV_ONVIF_PASSWORD")
    if password is None and stored is not None and stored.username == user:
        password = stored.password
    if password is None:
        if not sys.stdin.isatty():
            raise SystemExit("error: no password (set GTV_ONVIF_PASSWORD or save one with --save)")
        password = getpass.getpass(f"password for {user}@{key}: ")
    credentials = CameraCredentials(user, password)
    if args.save:
        CredentialStore().save(key, credentials)
    return credentials


def description_json(found: CameraDescription) -> dict[str, Any]:
    data = dataclasses.asdict(found)
    data["main"] = found.main.token if found.main else None
    data["sub"] = found.sub.token if found.sub else None
    data["snapshot_uri"] = found.snapshot_uri
    return data


def _print_description(found: CameraDescription) -> None:
    device = found.device
    print(
        f"{found.address}  {device.manufacturer} {device.model}  firmware {device.firmware}"
        f"  serial {device.serial_number}  clock {found.clock_offset_s:+.0f} s"
    )
    for profile in found.profiles:
        role = "main" if profile == found.main else "sub " if profile == found.sub else "    "
        print(
            f"  {role} {profile.token}: {profile.codec} {profile.width}x{profile.height}"
            f" @{profile.fps} fps  {profile.stream_uri}"
        )
    print(f"  snapshot: {found.snapshot_uri}")
    ptz = found.ptz
    flags = [
        n for n in ("continuous", "relative", "absolute", "presets", "home") if getattr(ptz, n)
    ]
    print(f"  ptz: {', '.join(flags) if ptz.supported else 'no'}")
    print(f"  events: {'pull point' if found.events else 'no'}")


async def _discover(args: argparse.Namespace) -> None:
    found = await probe(
        interfaces=args.interface or None,
        unicast=args.subnet,
        timeout_s=args.timeout,
        multicast=not args.no_multicast,
    )
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "endpoint": d.endpoint,
                        "addresses": list(d.addresses),
                        "xaddrs": list(d.xaddrs),
                        "name": d.name,
                        "hardware": d.hardware,
                        "location": d.location,
                    }
                    for d in found
                ],
                indent=2,
            )
        )
        return
    for device in found:
        print(
            f"{', '.join(device.addresses):<20} {device.name or '?':<28} "
            f"{device.hardware or '':<20} {device.xaddrs[0] if device.xaddrs else ''}"
        )
    print(f"{len(found)} camera(s)", file=sys.stderr)


async def _ptz(args: argparse.Namespace, credentials: CameraCredentials) -> None:
    numbers = [float(v) for v in args.values] if args.action in ("move", "continuous") else []
    async with OnvifDevice(args.address, credentials.username, credentials.password) as device:
        ptz = await device.ptz()
        match args.action:
            case "move":
                await ptz.absolute(*numbers[:3])
            case "continuous":
                await ptz.continuous(*numbers[:3])
                await asyncio.sleep(args.seconds)
                await ptz.stop()
            case "stop":
                await ptz.stop()
            case "home":
                await ptz.home()
            case "presets":
                for preset in await ptz.presets():
                    print(f"{preset.token}\t{preset.name}")
            case "set-preset":
                print(await ptz.set_preset(" ".join(args.values) or "preset"))
            case "goto":
                await ptz.goto_preset(args.values[0])
            case "remove-preset":
                await ptz.remove_preset(args.values[0])


async def _snapshot(args: argparse.Namespace, credentials: CameraCredentials) -> None:
    async with OnvifDevice(args.address, credentials.username, credentials.password) as device:
        found = await device.describe()
    if found.snapshot_uri:
        jpeg = await http_snapshot(found.snapshot_uri, credentials.username, credentials.password)
    elif found.sub or found.main:
        profile = found.sub or found.main
        assert profile is not None
        assert profile.stream_uri is not None
        jpeg = await rtsp_snapshot(
            with_credentials(profile.stream_uri, credentials.username, credentials.password)
        )
    else:
        raise SystemExit(f"error: {found.address} offers no snapshot and no stream")
    args.output.write_bytes(jpeg)
    print(f"{args.output}: {len(jpeg)} bytes")


async def _events(args: argparse.Namespace, credentials: CameraCredentials) -> None:
    async def follow() -> None:
        async with (
            OnvifDevice(args.address, credentials.username, credentials.password) as camera,
            camera.events() as subscription,
        ):
            async for event in subscription:
                if args.kind and event.kind.value not in args.kind:
                    continue
                if args.json:
                    print(json.dumps(event.as_json()), flush=True)
                else:
                    state = {True: "on", False: "off", None: ""}[event.active]
                    print(
                        f"{event.at.astimezone():%H:%M:%S}  {event.kind.value:<7} {state:<3}"
                        f"  {event.topic}  {dict(event.data)}",
                        flush=True,
                    )

    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(args.seconds):
            await follow()


async def _main(args: argparse.Namespace) -> None:
    if args.command == "discover":
        await _discover(args)
        return
    credentials = _credentials(args)
    if args.command == "info":
        async with OnvifDevice(args.address, credentials.username, credentials.password) as cam:
            found = await cam.describe()
        if args.json:
            print(json.dumps(description_json(found), indent=2))
        else:
            _print_description(found)
    elif args.command == "ptz":
        await _ptz(args, credentials)
    elif args.command == "snapshot":
        await _snapshot(args, credentials)
    elif args.command == "events":
        await _events(args, credentials)


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    try:
        asyncio.run(_main(args))
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except OnvifError as exc:
        raise SystemExit(f"error ({exc.kind}): {exc}") from None
    except (SnapshotError, CredentialStoreError, ValueError) as exc:
        raise SystemExit(f"error: {exc}") from None


if __name__ == "__main__":
    main()
