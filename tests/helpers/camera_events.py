"""The camera side of ONVIF events for the virtual camera: motion and tamper detected on the
frames it streams, offered through a WS-BaseNotification pull point (ONVIF Events 2.x).

ipycam has no event service; this adds one to it the way a camera's firmware does: a motion
detector (per-cell frame differences, global brightness changes ignored) and a tamper detector
(the picture goes dark and flat: the lens is covered) feed properties; every subscription gets
the properties' current state first (``Initialized``), then each change (``Changed``), and can
pull them with a long poll, renew, re-synchronise or unsubscribe. Subscriptions expire.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

import numpy as np

NAMESPACES = (
    'xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:wsa5="http://www.w3.org/2005/08/addressing" '
    'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" '
    'xmlns:tev="http://www.onvif.org/ver10/events/wsdl" '
    'xmlns:tt="http://www.onvif.org/ver10/schema" '
    'xmlns:tns1="http://www.onvif.org/ver10/topics"'
)
ACTIONS = (
    "CreatePullPointSubscription",
    "PullMessages",
    "SetSynchronizationPoint",
    "GetEventProperties",
    "Unsubscribe",
    "Renew",
)
MOTION = "tns1:RuleEngine/CellMotionDetector/Motion"
TAMPER = "tns1:RuleEngine/TamperDetector/Tamper"
_SOURCE = (("VideoSourceConfigurationToken", "VideoSourceConfig"),)
_MAX_WAIT_S = 10.0


def _utc(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"


def _duration_s(text: str | None, default: float) -> float:
    """``PT60S``/``PT1M``/an absolute time → seconds from now."""
    if not text:
        return default
    match = re.fullmatch(r"P(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)", text.strip())
    if match:
        hours, minutes, seconds = match.groups()
        return int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0)
    stamp = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return stamp.timestamp() - time.time()


def _element(body: str, name: str) -> str | None:
    match = re.search(rf"<(?:[\w.-]+:)?{name}\b[^>]*>([^<]*)</(?:[\w.-]+:)?{name}>", body)
    return match.group(1) if match else None


def body_action(body: str) -> str | None:
    """The operation a request carries: the first element inside the SOAP Body."""
    match = re.search(r"<(?:[\w.-]+:)?Body\b[^>]*>\s*<(?:[\w.-]+:)?(\w+)", body)
    name = match.group(1) if match else None
    return name if name in ACTIONS else None


@dataclass
class _Subscription:
    id: int
    expires: float
    queue: list[str] = field(default_factory=list)


class SceneDetector:
    """Motion and tamper from frames, as a camera's analytics would see them: motion is a share
    of pixels that changed more than the picture's overall brightness did; tamper is a dark,
    flat picture (a covered lens)."""

    def __init__(self, share: float = 0.002, level: float = 25.0, hold_s: float = 0.5) -> None:
        self.share, self.level, self.hold_s = share, level, hold_s
        self._previous: np.ndarray | None = None
        self._moved_at = -1e9

    def __call__(self, frame: np.ndarray) -> tuple[bool, bool]:
        grey = frame.mean(axis=2)
        covered = bool(grey.mean() < 20 and grey.std() < 6)
        grey -= grey.mean()
        if self._previous is not None and not covered:
            changed = np.abs(grey - self._previous) > self.level
            if changed.mean() > self.share:
                self._moved_at = time.monotonic()
        self._previous = grey
        # Hold the motion state a moment, as cameras do, so a slow mover does not flicker.
        return time.monotonic() - self._moved_at < self.hold_s, covered


class PullPointService:
    """One camera's event properties and the subscriptions that pull them."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._lock = threading.Condition()
        self._ids = itertools.count(1)
        self._subscriptions: dict[int, _Subscription] = {}
        self._state = {
            MOTION: ("IsMotion", False, time.time()),
            TAMPER: ("IsTamper", False, time.time()),
        }

    # Camera side ------------------------------------------------------------------------

    def update(self, motion: bool, tamper: bool) -> None:
        with self._lock:
            for topic, value in ((MOTION, motion), (TAMPER, tamper)):
                item, current, _ = self._state[topic]
                if value != current:
                    self._state[topic] = (item, value, time.time())
                    message = self._message(topic, "Changed")
                    for subscription in self._subscriptions.values():
                        subscription.queue.append(message)
            self._lock.notify_all()

    def _message(self, topic: str, operation: str) -> str:
        item, value, since = self._state[topic]
        source = "".join(
            f"<tt:SimpleItem Name={quoteattr(n)} Value={quoteattr(v)}/>" for n, v in _SOURCE
        )
        return (
            "<wsnt:NotificationMessage>"
            '<wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">'
            f"{escape(topic)}</wsnt:Topic><wsnt:Message>"
            f'<tt:Message UtcTime="{_utc(since)}" PropertyOperation="{operation}">'
            f"<tt:Source>{source}</tt:Source><tt:Data>"
            f'<tt:SimpleItem Name="{item}" Value="{str(value).lower()}"/>'
            "</tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>"
        )

    # SOAP side --------------------------------------------------------------------------

    def handle(self, action: str, body: str, path: str = "") -> tuple[int, str]:
        """(HTTP status, SOAP envelope) for one events request."""
        try:
            match action:
                case "CreatePullPointSubscription":
                    reply = self._create(body)
                case "GetEventProperties":
                    reply = self._properties()
                case _:
                    subscription = self._find(body, path)
                    if subscription is None:
                        return 400, self._fault("ResourceUnknownFault", "no such subscription")
                    reply = getattr(self, f"_{action.lower()}")(subscription, body)
        except ValueError as exc:
            return 400, self._fault("ter:InvalidArgVal", str(exc))
        return 200, f"<s:Envelope {NAMESPACES}><s:Body>{reply}</s:Body></s:Envelope>"

    def _fault(self, code: str, reason: str) -> str:
        return (
            f"<s:Envelope {NAMESPACES}><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value>"
            f"<s:Subcode><s:Value>{code}</s:Value></s:Subcode></s:Code><s:Reason>"
            f'<s:Text xml:lang="en">{escape(reason)}</s:Text></s:Reason></s:Fault>'
            "</s:Body></s:Envelope>"
        )

    def _find(self, body: str, path: str) -> _Subscription | None:
        """By the subscription's own address (the request's URL, or its WS-Addressing To)."""
        match = re.search(r"/subscription_(\d+)", path) or re.search(
            r"<(?:[\w.-]+:)?To\b[^>]*>[^<]*/subscription_(\d+)<", body
        )
        with self._lock:
            self._expire()
            return self._subscriptions.get(int(match.group(1))) if match else None

    def _expire(self) -> None:
        now = time.time()
        for key in [k for k, s in self._subscriptions.items() if s.expires < now]:
            del self._subscriptions[key]

    def _times(self, subscription: _Subscription, prefix: str) -> str:
        return (
            f"<{prefix}:CurrentTime>{_utc(time.time())}</{prefix}:CurrentTime>"
            f"<{prefix}:TerminationTime>{_utc(subscription.expires)}</{prefix}:TerminationTime>"
        )

    def _create(self, body: str) -> str:
        lifetime = _duration_s(_element(body, "InitialTerminationTime"), 60.0)
        with self._lock:
            self._expire()
            subscription = _Subscription(next(self._ids), time.time() + lifetime)
            subscription.queue = [self._message(t, "Initialized") for t in self._state]
            self._subscriptions[subscription.id] = subscription
        address = f"{self.base_url}/onvif/events_service/subscription_{subscription.id}"
        return (
            "<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference>"
            f"<wsa5:Address>{address}</wsa5:Address></tev:SubscriptionReference>"
            f"{self._times(subscription, 'wsnt')}</tev:CreatePullPointSubscriptionResponse>"
        )

    def _pullmessages(self, subscription: _Subscription, body: str) -> str:
        wait_s = min(_duration_s(_element(body, "Timeout"), 5.0), _MAX_WAIT_S)
        limit = int(_element(body, "MessageLimit") or 100)
        deadline = time.monotonic() + wait_s
        with self._lock:
            while not subscription.queue and time.monotonic() < deadline:
                self._lock.wait(deadline - time.monotonic())
            messages, subscription.queue = subscription.queue[:limit], subscription.queue[limit:]
        return (
            f"<tev:PullMessagesResponse>{self._times(subscription, 'tev')}"
            f"{''.join(messages)}</tev:PullMessagesResponse>"
        )

    def _renew(self, subscription: _Subscription, body: str) -> str:
        subscription.expires = time.time() + _duration_s(_element(body, "TerminationTime"), 60.0)
        return f"<wsnt:RenewResponse>{self._times(subscription, 'wsnt')}</wsnt:RenewResponse>"

    def _unsubscribe(self, subscription: _Subscription, _body: str) -> str:
        with self._lock:
            self._subscriptions.pop(subscription.id, None)
        return "<wsnt:UnsubscribeResponse/>"

    def _setsynchronizationpoint(self, subscription: _Subscription, _body: str) -> str:
        with self._lock:
            subscription.queue += [self._message(t, "Initialized") for t in self._state]
            self._lock.notify_all()
        return "<tev:SetSynchronizationPointResponse/>"

    def _properties(self) -> str:
        return (
            "<tev:GetEventPropertiesResponse>"
            "<tev:TopicNamespaceLocation>http://www.onvif.org/onvif/ver10/topics/topicns.xml"
            "</tev:TopicNamespaceLocation><wsnt:FixedTopicSet>true</wsnt:FixedTopicSet>"
            '<wstop:TopicSet xmlns:wstop="http://docs.oasis-open.org/wsn/t-1"/>'
            "<wsnt:TopicExpressionDialect>http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
            "</wsnt:TopicExpressionDialect></tev:GetEventPropertiesResponse>"
        )
