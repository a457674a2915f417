"""Who a security group lets in from the whole internet, read the same way for every pulumi-aws v7
spelling: a group's (or the default group's) inline `ingress` list, an `ec2.SecurityGroupRule` of
type ingress, and a `vpc.SecurityGroupIngressRule`.

An entry is open to the world when one of its CIDRs has prefix length 0 (`0.0.0.0/0`, `::/0`, in any
spelling Python's ipaddress accepts); prefix lists and security-group sources are never the world.
Protocols are read as the provider sends them to EC2 (`protocolForValue`: case-insensitive names,
IANA numbers, `-1` or `all` for every protocol). Ports apply to TCP and UDP, as AWS's and CIS's
checks count them; a range that contains a port reaches it, and a missing bound of a TCP or UDP
range (the ingress-rule resource lets it out) is taken as open. Every other protocol (ICMP, ESP, ...)
reaches no port. Ports given as strings are read as the provider coerces numbers.

Values unknown during a preview leave an entry undecided only when they could still open it; the
entry is then recorded as undecided on the props, for the pack's preview diagnostic.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .props import MISSING, UNKNOWN, Invalid, Props, whole_number
from .vocabulary.tokens import DEFAULT_SECURITY_GROUP, SECURITY_GROUP, SECURITY_GROUP_INGRESS_RULE, SECURITY_GROUP_RULE

GROUPS = (SECURITY_GROUP, DEFAULT_SECURITY_GROUP)
"""What AWS Config evaluates: a group, with every rule it holds."""
INGRESS_TYPES = (*GROUPS, SECURITY_GROUP_RULE, SECURITY_GROUP_INGRESS_RULE)
"""Every pulumi-aws v7 resource that can open a group to the world."""

PORT_NAMES = {
    20: "FTP data",
    21: "FTP",
    22: "SSH",
    23: "Telnet",
    25: "SMTP",
    110: "POP3",
    135: "RPC",
    143: "IMAP",
    445: "CIFS",
    1433: "SQL Server",
    1434: "SQL Server browser",
    1521: "Oracle",
    2049: "NFS",
    3000: "dev web server",
    3306: "MySQL",
    3389: "RDP",
    4333: "ahsp",
    5000: "dev web server",
    5432: "PostgreSQL",
    5500: "fcp-addr-srvr1",
    5601: "OpenSearch Dashboards",
    6379: "Redis",
    8080: "HTTP proxy",
    8088: "legacy HTTP",
    8888: "alternative HTTP",
    9200: "OpenSearch",
    9300: "OpenSearch",
    11211: "Memcached",
    27017: "MongoDB",
}
"""How messages name well-known ports (Security Hub EC2.19's names where it gives one)."""

PORT_PROTOCOLS = {"tcp": 6, "udp": 17}
ALL_PROTOCOLS = "all"
_PROTOCOL_NUMBERS = {6: "tcp", 17: "udp", -1: ALL_PROTOCOLS}
_INTEGER = re.compile(r"[+-]?[0-9]+")
"""What Go's strconv.Atoi takes, as the provider's protocolForValue reads a protocol number."""
MAX_PORT = 65535


@dataclass(frozen=True)
class Spelling:
    """Where one ingress entry's fields live in a resource's props."""

    where: str
    """How messages name the entry, e.g. `Security group ingress[0]`."""
    prefix: str
    protocol: str
    ipv4: str
    ipv6: str
    lists: bool
    """The CIDR fields hold lists (a group's entries, a SecurityGroupRule) or one CIDR each."""
    direction: str | None = None
    """The field that must be `ingress` (SecurityGroupRule's `type`)."""

    def path(self, field: str) -> str:
        return self.prefix + field


INGRESS_RULE = Spelling("Security group ingress rule", "", "ipProtocol", "cidrIpv4", "cidrIpv6", lists=False)
GROUP_RULE = Spelling(
    "Security group rule", "", "protocol", "cidrBlocks", "ipv6CidrBlocks", lists=True, direction="type"
)


def spellings(props: Props) -> list[Spelling]:
    """The ingress entries of a resource, told apart by the fields their types require."""
    if props.peek("ipProtocol") is not MISSING:
        return [INGRESS_RULE]
    if props.peek("protocol") is not MISSING:
        return [GROUP_RULE]
    count = props.count("ingress")
    return [
        Spelling(
            f"Security group ingress[{i}]", f"ingress[{i}].", "protocol", "cidrBlocks", "ipv6CidrBlocks", lists=True
        )
        for i in range(count if isinstance(count, int) else 0)
    ]


@dataclass(frozen=True)
class Exposure:
    where: str
    sources: tuple[str, ...]
    """The CIDRs that cover the whole internet, as written."""
    protocol: str
    """`tcp`, `udp` or `all`, as the provider reads the entry's protocol."""
    written: Any
    """The protocol as the program wrote it."""
    reached: tuple[int, ...]
    """The judged ports the entry reaches."""
    low: int = 0
    high: int = MAX_PORT

    def describe(self) -> str:
        sources = " and ".join(self.sources)
        if self.protocol == ALL_PROTOCOLS:
            including = f", including {ports_text(self.reached)}" if self.reached else ""
            return f"{self.where} lets {sources} reach every port over every protocol (protocol {self.written!r}){including}"
        if self.low == self.high:
            return f"{self.where} lets {sources} reach port {ports_text(self.reached)} over {self.protocol}"
        return (
            f"{self.where} lets {sources} reach ports {self.low}-{self.high} over {self.protocol}, "
            f"including {ports_text(self.reached)}"
        )


@dataclass(frozen=True)
class BadPort:
    """A port bound the provider cannot read, on an entry open to the whole internet."""

    where: str
    field: str
    value: Invalid

    def describe(self) -> str:
        return f"{self.where} is open to the whole internet and its {self.field} is {self.value}"


def ports_text(ports: Sequence[int], most: int = 6) -> str:
    named = [f"{p} ({PORT_NAMES[p]})" if p in PORT_NAMES else str(p) for p in ports]
    if len(named) > most:
        return f"{', '.join(named[:most])} and {len(named) - most} more"
    return ", ".join(named)


def is_world(cidr: Any) -> bool:
    if not isinstance(cidr, str):
        return False
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False).prefixlen == 0
    except ValueError:
        return False  # the provider rejects it before anything is opened


def protocol_of(value: Any) -> str | None:
    """`tcp`, `udp` or `all` as protocolForValue reads it, else None (a protocol without ports)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        value = str(int(value))
    if not isinstance(value, str):
        return None
    name = value.strip().lower()
    if name in ("-1", ALL_PROTOCOLS):
        return ALL_PROTOCOLS
    if name in PORT_PROTOCOLS:
        return name
    return _PROTOCOL_NUMBERS.get(int(name)) if _INTEGER.fullmatch(name) else None


class _Reads:
    """The unknown paths met while judging one entry, recorded only if they decide it."""

    def __init__(self, props: Props):
        self.props = props
        self.unknown: list[str] = []

    def peek(self, path: str) -> Any:
        value = self.props.peek(path)
        if value is UNKNOWN:
            self.unknown.append(path)
        return value

    def world_sources(self, spelling: Spelling) -> tuple[list[str], bool]:
        """The entry's world CIDRs, and whether an unknown CIDR could be one."""
        found: list[str] = []
        before = len(self.unknown)
        for field in (spelling.ipv4, spelling.ipv6):
            path = spelling.path(field)
            value = self.peek(path)
            if not spelling.lists:
                cidrs = [value]
            elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
                cidrs = [self.peek(f"{path}[{index}]") for index in range(len(value))]
            else:
                cidrs = []
            found += [cidr for cidr in cidrs if is_world(cidr)]
        return found, len(self.unknown) > before


def exposure(props: Props, spelling: Spelling, ports: Sequence[int], *, all_traffic: bool) -> Exposure | BadPort | None:
    """What the entry opens to the world among `ports` (with `all_traffic`, an entry of every
    protocol counts whatever the ports), a port bound the provider cannot read on an entry open to the world, or
    None: nothing, or not decided yet (its unknown paths are then recorded on `props`)."""
    reads = _Reads(props)
    certain = True
    if spelling.direction:
        direction = reads.peek(spelling.path(spelling.direction))
        if direction is not UNKNOWN and direction != "ingress":
            return None
        certain = direction == "ingress"
    sources, unknown_source = reads.world_sources(spelling)
    if not sources and not unknown_source:
        return None
    certain = certain and bool(sources)
    written = reads.peek(spelling.path(spelling.protocol))
    protocol = None if written is UNKNOWN else protocol_of(written)
    if written is not UNKNOWN and protocol is None:
        return None
    if protocol == ALL_PROTOCOLS:
        reached = tuple(ports)
        opens = all_traffic or bool(reached)
        low, high = 0, MAX_PORT
    else:
        fields = ("fromPort", "toPort")
        bounds = [whole_number(reads.peek(spelling.path(field))) for field in fields]
        invalid = next((i for i, bound in enumerate(bounds) if isinstance(bound, Invalid)), None)
        if invalid is not None:  # the provider refuses the entry: only worth a word when it would open a port
            return BadPort(spelling.where, fields[invalid], bounds[invalid]) if certain and protocol else None
        if UNKNOWN in bounds:
            reached, low, high, opens = tuple(ports), 0, MAX_PORT, False
            certain = False
        else:
            low = 0 if bounds[0] is MISSING else int(bounds[0])
            high = MAX_PORT if bounds[1] is MISSING else int(bounds[1])
            reached = tuple(port for port in ports if low <= port <= high)
            opens = bool(reached)
            if not opens and protocol is not None:
                return None  # no judged port in its range; an unknown protocol could still be "all"
    if certain and protocol is not None and opens:
        return Exposure(spelling.where, tuple(sources), protocol, written, reached, low, high)
    for path in reads.unknown:
        props.undecided(path)
    return None


def public_ingress(props: Props, ports: Sequence[Any], ask: str, *, all_traffic: bool = False) -> Iterator[str]:
    """One violation per ingress entry that lets the world reach one of `ports` (or, with
    `all_traffic`, any entry of every protocol), ending with `ask`."""
    judged = sorted({int(port) for port in ports})
    for spelling in spellings(props):
        found = exposure(props, spelling, judged, all_traffic=all_traffic)
        if found is not None:
            yield f"{found.describe()}; {ask}"


def ports_parameter_schema(default: Sequence[int]) -> Mapping[str, Any]:
    return {
        "type": "array",
        "items": {"type": "integer", "minimum": 0, "maximum": MAX_PORT},
        "uniqueItems": True,
        "default": list(default),
    }
