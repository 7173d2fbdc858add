"""ONVIF events (motion, tamper) as our own :class:`CameraEvent`, whatever dialect a maker speaks.

Cameras name the same thing differently: motion is ``RuleEngine/CellMotionDetector/Motion``
with ``IsMotion`` (Hikvision, most Profile S/T cameras), ``VideoSource/MotionAlarm`` with
``State`` (Dahua, Uniview, Axis), or a maker topic such as ``tnsaxis:VideoAnalytics/…``; tamper
is ``RuleEngine/TamperDetector/Tamper`` with ``IsTamper`` or
``VideoSource/GlobalSceneChange/…`` with ``State``. :func:`classify` folds these into
:class:`EventKind` and a boolean ``active``; everything else is passed on as ``other`` with its
topic and items, never dropped.

zeep hands a ``tt:Message`` over either parsed (an object with ``Source``/``Data``) or, when the
camera's reply does not match the schema closely enough, as a raw XML element; both are read.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lxml import etree

_MOTION_WORDS = ("motion", "vmd")  # VMD: video motion detection (Axis)
_TAMPER_WORDS = ("tamper", "globalscenechange")
_STATE_ITEMS = ("ismotion", "istamper", "state", "value", "active", "isinside")
_TRUE = {"true", "1", "on", "yes", "active"}
_FALSE = {"false", "0", "off", "no", "inactive"}


class EventKind(enum.StrEnum):
    MOTION = "motion"
    TAMPER = "tamper"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class CameraEvent:
    """One notification: a property's state (``Initialized``) or its change (``Changed``)."""

    address: str
    topic: str
    kind: EventKind
    active: bool | None
    at: datetime
    operation: str = "Changed"
    source: Mapping[str, str] = field(default_factory=dict)
    data: Mapping[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "topic": self.topic,
            "kind": self.kind.value,
            "active": self.active,
            "at": self.at.isoformat(),
            "operation": self.operation,
            "source": dict(self.source),
            "data": dict(self.data),
        }


def plain_topic(topic: str) -> str:
    """``tns1:RuleEngine/tnsaxis:X/Motion`` → ``RuleEngine/X/Motion`` (prefixes are per camera)."""
    return "/".join(part.rsplit(":", 1)[-1] for part in topic.strip().split("/") if part)


def _flag(text: str | None) -> bool | None:
    value = (text or "").strip().lower()
    return True if value in _TRUE else False if value in _FALSE else None


def classify(topic: str, data: Mapping[str, str]) -> tuple[EventKind, bool | None]:
    """What a topic is about, and whether its state is on, from the usual state items."""
    words = plain_topic(topic).lower()
    if any(w in words for w in _TAMPER_WORDS):
        kind = EventKind.TAMPER
    elif any(w in words for w in _MOTION_WORDS):
        kind = EventKind.MOTION
    else:
        kind = EventKind.OTHER
    by_name = {name.lower(): value for name, value in data.items()}
    for name in _STATE_ITEMS:
        if name in by_name and (state := _flag(by_name[name])) is not None:
            return kind, state
    flags = [f for f in map(_flag, data.values()) if f is not None]
    return kind, flags[0] if len(flags) == 1 else None


def _simple_items(node: Any, part: str) -> dict[str, str]:
    if node is None:
        return {}
    if isinstance(node, etree._Element):
        return {
            str(item.get("Name")): str(item.get("Value", ""))
            for item in node.iterfind(f"{{*}}{part}/{{*}}SimpleItem")
            if item.get("Name")
        }
    items = getattr(getattr(node, part, None), "SimpleItem", None) or []
    return {str(i.Name): str(i.Value if i.Value is not None else "") for i in items if i.Name}


def _attribute(node: Any, name: str) -> Any:
    if isinstance(node, etree._Element):
        return node.get(name)
    return getattr(node, name, None)


def _when(value: Any, fallback: datetime) -> datetime:
    """A message's UtcTime; some cameras leave out the zone (it is UTC by the standard)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return fallback
    else:
        return fallback
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _topic_text(topic: Any) -> str:
    if topic is None:
        return ""
    if isinstance(topic, str):
        return topic
    text = getattr(topic, "_value_1", None)
    if isinstance(text, str):
        return text
    if isinstance(text, list):  # mixed content: the text around nothing
        return "".join(t for t in text if isinstance(t, str))
    return str(text or "")


def parse_notification(address: str, message: Any, received: datetime) -> CameraEvent | None:
    """One ``wsnt:NotificationMessage`` (as zeep gives it) → a :class:`CameraEvent`."""
    topic = _topic_text(getattr(message, "Topic", None)).strip()
    body = getattr(getattr(message, "Message", None), "_value_1", None)
    if not topic or body is None:
        return None
    data = _simple_items(body, "Data")
    kind, active = classify(topic, data)
    return CameraEvent(
        address=address,
        topic=topic,
        kind=kind,
        active=active,
        at=_when(_attribute(body, "UtcTime"), received),
        operation=str(_attribute(body, "PropertyOperation") or "Changed"),
        source=_simple_items(body, "Source"),
        data=data,
    )
