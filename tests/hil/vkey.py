#!/usr/bin/python3
"""ana's virtual security key: a USB HID FIDO device on /dev/uhid, speaking CTAPHID and CTAP2.

A test controls it like a person at a desk: touch it, set its PIN, unplug and plug it back in.
It is written apart from ana's Rust CTAP2 stack (its own CBOR, CTAPHID framing and
authenticator, with Python's `cryptography`), so the two do not just agree with themselves.

usage: vkey.py DIR [--name NAME] [--pin PIN] [--autotouch]

DIR/ctl is a FIFO of commands, one a line:
  touch             the user touches the key (now, or at its next request for a touch)
  autotouch on|off  every request for a touch is met at once
  pin PIN           the key's PIN is set to PIN (retries reset to 8), as with a vendor's tool
  retries N         N PIN attempts left
  reset [autotouch] [pin=PIN]   a new key of the same name (no credentials)
  unplug / plug     the key is pulled out / plugged back in (a power cycle)
  quit
DIR/events gets one line per thing that happened: `ready /dev/hidraw0`, `cbor getAssertion`,
`upneeded`, `touched`, `cancel`, `pin-invalid 7`, `unplugged`, …

CTAPHID (CTAP 2.1 §11.2): INIT with channel allocation, PING, WINK, CBOR, CANCEL, KEEPALIVE
(processing, user presence needed), ERROR, 64-byte packets with continuations; MSG (U2F) is
answered ERROR INVALID_CMD (the NMSG capability). CTAP2: getInfo, makeCredential and getAssertion
(ES256, "none" attestation, non-resident credentials), clientPIN protocol one (getRetries,
getKeyAgreement, setPIN, getPinToken).
"""
import argparse
import faulthandler
import hashlib
import hmac
import os
import signal
import struct
import sys
import threading
import time

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

# ---------------------------------------------------------------------------------------- CBOR


def cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, n)
    raise ValueError("integer too large")


def cbor(v):
    """CTAP2 canonical CBOR (RFC 7049 §3.9: map keys by length, then bytes)."""
    if v is True:
        return b"\xf5"
    if v is False:
        return b"\xf4"
    if v is None:
        return b"\xf6"
    if isinstance(v, int):
        return cbor_head(0, v) if v >= 0 else cbor_head(1, -1 - v)
    if isinstance(v, (bytes, bytearray)):
        return cbor_head(2, len(v)) + bytes(v)
    if isinstance(v, str):
        b = v.encode()
        return cbor_head(3, len(b)) + b
    if isinstance(v, (list, tuple)):
        return cbor_head(4, len(v)) + b"".join(cbor(x) for x in v)
    if isinstance(v, dict):
        items = sorted((cbor(k), cbor(x)) for k, x in v.items())
        items.sort(key=lambda kv: (len(kv[0]), kv[0]))
        return cbor_head(5, len(items)) + b"".join(k + x for k, x in items)
    raise TypeError(type(v))


class CborError(Exception):
    pass


def uncbor(data):
    """Decodes one CBOR item; raises CborError on malformed input or trailing bytes."""
    v, end = _item(data, 0, 0)
    if end != len(data):
        raise CborError("trailing bytes")
    return v


def _item(d, i, depth):
    if depth > 8 or i >= len(d):
        raise CborError("truncated or too deep")
    major, info = d[i] >> 5, d[i] & 31
    i += 1
    if info < 24:
        n = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        if i + size > len(d):
            raise CborError("truncated")
        n = int.from_bytes(d[i:i + size], "big")
        i += size
    else:
        raise CborError("indefinite lengths are not canonical")
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major in (2, 3):
        if i + n > len(d):
            raise CborError("truncated")
        b = bytes(d[i:i + n])
        return (b if major == 2 else b.decode()), i + n
    if major == 4:
        out = []
        for _ in range(n):
            x, i = _item(d, i, depth + 1)
            out.append(x)
        return out, i
    if major == 5:
        out = {}
        for _ in range(n):
            k, i = _item(d, i, depth + 1)
            x, i = _item(d, i, depth + 1)
            out[k] = x
        return out, i
    if major == 6:
        return _item(d, i, depth + 1)
    if major == 7:
        simple = {20: False, 21: True, 22: None}
        if info in simple:
            return simple[info], i
    raise CborError("unsupported item")


# ------------------------------------------------------------------------------------ CTAP2

OK = 0x00
ERR_INVALID_COMMAND = 0x01
ERR_INVALID_PARAMETER = 0x02
ERR_INVALID_CBOR = 0x12
ERR_MISSING_PARAMETER = 0x14
ERR_CREDENTIAL_EXCLUDED = 0x19
ERR_UNSUPPORTED_ALGORITHM = 0x26
ERR_UNSUPPORTED_OPTION = 0x2B
ERR_KEEPALIVE_CANCEL = 0x2D
ERR_NO_CREDENTIALS = 0x2E
ERR_USER_ACTION_TIMEOUT = 0x2F
ERR_NOT_ALLOWED = 0x30
ERR_PIN_INVALID = 0x31
ERR_PIN_BLOCKED = 0x32
ERR_PIN_AUTH_INVALID = 0x33
ERR_PIN_AUTH_BLOCKED = 0x34
ERR_PIN_NOT_SET = 0x35
ERR_PIN_REQUIRED = 0x36
ERR_PIN_POLICY_VIOLATION = 0x37
ERR_INVALID_SUBCOMMAND = 0x3E

# How long the key blinks for a touch before it gives up (a YubiKey waits about as long).
TOUCH_TIMEOUT = 30.0
PIN_RETRIES = 8


class Refuse(Exception):
    def __init__(self, status):
        super().__init__(status)
        self.status = status


class Gone(Exception):
    """The key was unplugged mid-command: nothing is answered."""


def cose_ec2(public_key, alg):
    n = public_key.public_numbers()
    return {1: 2, 3: alg, -1: 1, -2: n.x.to_bytes(32, "big"), -3: n.y.to_bytes(32, "big")}


def aes_cbc(key, data, encrypt):
    c = Cipher(algorithms.AES(key), modes.CBC(b"\0" * 16))
    op = c.encryptor() if encrypt else c.decryptor()
    return op.update(data) + op.finalize()


class Authenticator:
    """The CTAP2 side. `wait_touch()` is given by the transport (it blinks and sends keepalives)."""

    def __init__(self, name, log):
        self.aaguid = hashlib.sha256(b"ana virtual key " + name.encode()).digest()[:16]
        self.log = log
        self.creds = {}  # credential id -> (rp id hash, private key)
        self.counter = 0
        self.pin = None
        self.retries = PIN_RETRIES
        self.power_cycle()

    def power_cycle(self):
        """What survives an unplug is only what a key keeps in flash."""
        self.failures = 0
        self.key_agreement = ec.generate_private_key(ec.SECP256R1())
        self.pin_token = os.urandom(32)

    def handle(self, request, wait_touch):
        if not request:
            raise Refuse(ERR_INVALID_COMMAND)
        cmd, body = request[0], request[1:]
        names = {0x01: "makeCredential", 0x02: "getAssertion", 0x04: "getInfo", 0x06: "clientPIN"}
        self.log(f"cbor {names.get(cmd, hex(cmd))}")
        try:
            params = uncbor(body) if body else {}
        except (CborError, UnicodeDecodeError):
            raise Refuse(ERR_INVALID_CBOR)
        if not isinstance(params, dict):
            raise Refuse(ERR_INVALID_CBOR)
        if cmd == 0x04:
            return self.get_info()
        if cmd == 0x01:
            return self.make_credential(params, wait_touch)
        if cmd == 0x02:
            return self.get_assertion(params, wait_touch)
        if cmd == 0x06:
            return self.client_pin(params)
        raise Refuse(ERR_INVALID_COMMAND)

    def get_info(self):
        return {
            1: ["FIDO_2_0"],
            3: self.aaguid,
            4: {"rk": False, "up": True, "plat": False, "clientPin": self.pin is not None},
            5: 1200,
            6: [1],
        }

    def _user_verified(self, params, auth_key, proto_key, client_data_hash, wait_touch):
        """The pinAuth check shared by makeCredential and getAssertion: True when the PIN token
        authenticated this request; raises for a bad or probing one."""
        pin_auth = params.get(auth_key)
        if pin_auth is None:
            return False
        if not isinstance(pin_auth, bytes):
            raise Refuse(ERR_INVALID_CBOR)
        if len(pin_auth) == 0:
            # A platform asking which of several keys the user means: answer after a touch.
            wait_touch()
            raise Refuse(ERR_PIN_INVALID if self.pin is not None else ERR_PIN_NOT_SET)
        if params.get(proto_key) != 1:
            raise Refuse(ERR_PIN_AUTH_INVALID)
        if self.pin is None:
            raise Refuse(ERR_PIN_NOT_SET)
        expected = hmac.new(self.pin_token, client_data_hash, hashlib.sha256).digest()[:16]
        if not hmac.compare_digest(expected, pin_auth):
            self.log("pin-auth-invalid")
            raise Refuse(ERR_PIN_AUTH_INVALID)
        return True

    def _auth_data(self, rp_hash, up, uv, attested=b""):
        self.counter += 1
        flags = (0x01 if up else 0) | (0x04 if uv else 0) | (0x40 if attested else 0)
        return rp_hash + bytes([flags]) + struct.pack(">I", self.counter) + attested

    def make_credential(self, p, wait_touch):
        cdh, rp, params = p.get(1), p.get(2), p.get(4)
        if not isinstance(cdh, bytes) or not isinstance(rp, dict) or not isinstance(params, list) or 3 not in p:
            raise Refuse(ERR_MISSING_PARAMETER)
        if not any(isinstance(x, dict) and x.get("alg") == -7 and x.get("type") == "public-key" for x in params):
            raise Refuse(ERR_UNSUPPORTED_ALGORITHM)
        options = p.get(7) or {}
        if options.get("rk") or options.get("uv"):
            raise Refuse(ERR_UNSUPPORTED_OPTION)
        uv = self._user_verified(p, 8, 9, cdh, wait_touch)
        if self.pin is not None and not uv:
            raise Refuse(ERR_PIN_REQUIRED)
        rp_hash = hashlib.sha256(str(rp.get("id", "")).encode()).digest()
        for d in p.get(5) or []:
            if isinstance(d, dict) and self.creds.get(d.get("id"), (None,))[0] == rp_hash:
                wait_touch()
                raise Refuse(ERR_CREDENTIAL_EXCLUDED)
        wait_touch()
        key = ec.generate_private_key(ec.SECP256R1())
        cred_id = os.urandom(32)
        self.creds[cred_id] = (rp_hash, key)
        attested = self.aaguid + struct.pack(">H", len(cred_id)) + cred_id + cbor(cose_ec2(key.public_key(), -7))
        self.log("registered")
        return {1: "none", 2: self._auth_data(rp_hash, True, uv, attested), 3: {}}

    def get_assertion(self, p, wait_touch):
        rp_id, cdh = p.get(1), p.get(2)
        if not isinstance(rp_id, str) or not isinstance(cdh, bytes):
            raise Refuse(ERR_MISSING_PARAMETER)
        options = p.get(5) or {}
        if options.get("uv") or options.get("rk"):
            raise Refuse(ERR_UNSUPPORTED_OPTION)
        up = options.get("up", True)
        uv = self._user_verified(p, 6, 7, cdh, wait_touch)
        rp_hash = hashlib.sha256(rp_id.encode()).digest()
        found = None
        for d in p.get(3) or []:
            if isinstance(d, dict) and self.creds.get(d.get("id"), (None,))[0] == rp_hash:
                found = d["id"]
                break
        if found is None:
            self.log("no-credentials")
            raise Refuse(ERR_NO_CREDENTIALS)
        if up:
            wait_touch()
        auth_data = self._auth_data(rp_hash, up, uv)
        signature = self.creds[found][1].sign(auth_data + cdh, ec.ECDSA(hashes.SHA256()))
        self.log(f"asserted uv={int(uv)}")
        return {1: {"id": found, "type": "public-key"}, 2: auth_data, 3: signature}

    def _shared_secret(self, p):
        peer = p.get(3)
        if not isinstance(peer, dict) or not isinstance(peer.get(-2), bytes) or not isinstance(peer.get(-3), bytes):
            raise Refuse(ERR_MISSING_PARAMETER)
        try:
            pub = ec.EllipticCurvePublicNumbers(int.from_bytes(peer[-2], "big"), int.from_bytes(peer[-3], "big"), ec.SECP256R1()).public_key()
        except ValueError:
            raise Refuse(ERR_INVALID_PARAMETER)
        return hashlib.sha256(self.key_agreement.exchange(ec.ECDH(), pub)).digest()

    def client_pin(self, p):
        if p.get(1) != 1:
            raise Refuse(ERR_INVALID_PARAMETER)
        sub = p.get(2)
        if sub == 0x01:
            return {3: self.retries}
        if sub == 0x02:
            return {1: cose_ec2(self.key_agreement.public_key(), -25)}
        if sub == 0x03:
            if self.pin is not None:
                raise Refuse(ERR_NOT_ALLOWED)
            ss = self._shared_secret(p)
            new_enc, pin_auth = p.get(5), p.get(4)
            if not isinstance(new_enc, bytes) or not isinstance(pin_auth, bytes) or len(new_enc) % 16:
                raise Refuse(ERR_MISSING_PARAMETER)
            if not hmac.compare_digest(hmac.new(ss, new_enc, hashlib.sha256).digest()[:16], pin_auth):
                raise Refuse(ERR_PIN_AUTH_INVALID)
            pin = aes_cbc(ss, new_enc, False).split(b"\0", 1)[0]
            if len(pin) < 4:
                raise Refuse(ERR_PIN_POLICY_VIOLATION)
            self.pin, self.retries = pin.decode(errors="replace"), PIN_RETRIES
            self.log("pin-set")
            return {}
        if sub in (0x05, 0x09):
            if self.pin is None:
                raise Refuse(ERR_PIN_NOT_SET)
            if self.retries == 0:
                raise Refuse(ERR_PIN_BLOCKED)
            if self.failures >= 3:
                raise Refuse(ERR_PIN_AUTH_BLOCKED)
            ss = self._shared_secret(p)
            enc = p.get(6)
            if not isinstance(enc, bytes) or len(enc) != 16:
                raise Refuse(ERR_MISSING_PARAMETER)
            self.retries -= 1
            if not hmac.compare_digest(aes_cbc(ss, enc, False), hashlib.sha256(self.pin.encode()).digest()[:16]):
                self.failures += 1
                self.key_agreement = ec.generate_private_key(ec.SECP256R1())
                self.log(f"pin-invalid {self.retries}")
                if self.retries == 0:
                    raise Refuse(ERR_PIN_BLOCKED)
                if self.failures >= 3:
                    raise Refuse(ERR_PIN_AUTH_BLOCKED)
                raise Refuse(ERR_PIN_INVALID)
            self.retries, self.failures = PIN_RETRIES, 0
            self.log("pin-ok")
            return {2: aes_cbc(ss, self.pin_token, True)}
        raise Refuse(ERR_INVALID_SUBCOMMAND)


# ---------------------------------------------------------------------------------- CTAPHID

CTAPHID_PING, CTAPHID_MSG, CTAPHID_INIT, CTAPHID_WINK = 0x81, 0x83, 0x86, 0x88
CTAPHID_CBOR, CTAPHID_CANCEL, CTAPHID_KEEPALIVE, CTAPHID_ERROR = 0x90, 0x91, 0xBB, 0xBF
ERR_INVALID_CMD, ERR_INVALID_LEN, ERR_INVALID_SEQ, ERR_CHANNEL_BUSY, ERR_INVALID_CHANNEL = 0x01, 0x03, 0x04, 0x06, 0x0B
KEEPALIVE_PROCESSING, KEEPALIVE_UPNEEDED = 1, 2
BROADCAST = 0xFFFFFFFF
CAPABILITIES = 0x01 | 0x04 | 0x08  # WINK, CBOR, NMSG
MAX_MESSAGE = 7609

# The FIDO report descriptor: usage page 0xF1D0, usage 1 (CTAPHID), 64-byte input and output.
REPORT_DESCRIPTOR = bytes.fromhex(
    "06d0f1 0901 a101"
    "0920 1500 26ff00 7508 9540 8102"
    "0921 1500 26ff00 7508 9540 9102"
    "c0".replace(" ", "")
)

# /dev/uhid (linux/uhid.h), packed structs.
UHID_DESTROY, UHID_START, UHID_STOP, UHID_OPEN, UHID_CLOSE, UHID_OUTPUT = 1, 2, 3, 4, 5, 6
UHID_GET_REPORT, UHID_GET_REPORT_REPLY, UHID_CREATE2, UHID_INPUT2 = 9, 10, 11, 12
UHID_SET_REPORT, UHID_SET_REPORT_REPLY = 13, 14
UHID_EVENT_SIZE = 4 + 128 + 64 + 64 + 2 + 2 + 4 + 4 + 4 + 4 + 4096
BUS_USB = 3


class Key:
    def __init__(self, directory, name, autotouch):
        self.dir = directory
        self.name = name
        self.uniq = f"ana-vkey-{name}-{os.getpid()}"
        self.events = open(os.path.join(directory, "events"), "a", buffering=1)
        self.auth = Authenticator(name, self.log)
        self.fd = os.open("/dev/uhid", os.O_RDWR | os.O_CLOEXEC)
        self.write_lock = threading.Lock()
        self.state = threading.Condition()
        self.plugged = False
        self.autotouch = autotouch
        self.touched = False
        self.busy = None  # the channel of the CBOR request under way
        self.cancelled = False
        self.generation = 0  # bumped by each unplug: a worker from before answers nothing
        self.next_cid = 1
        self.channels = set()
        self.partial = {}  # cid -> [cmd, length, data, next seq]

    def log(self, what):
        self.events.write(f"{time.monotonic():.3f} {what}\n")

    # ----------------------------------------------------------------- the device on /dev/uhid
    def _write_event(self, kind, payload):
        ev = struct.pack("<I", kind) + payload
        os.write(self.fd, ev.ljust(UHID_EVENT_SIZE, b"\0"))

    def plug(self):
        with self.state:
            if self.plugged:
                return
            self.auth.power_cycle()
            self.channels.clear()
            self.partial.clear()
        name = f"ana virtual key {self.name}".encode()[:127]
        payload = (
            name.ljust(128, b"\0") + b"vkey".ljust(64, b"\0") + self.uniq.encode()[:63].ljust(64, b"\0")
            + struct.pack("<HHIIII", len(REPORT_DESCRIPTOR), BUS_USB, 0x1209, 0xA0A0, 1, 0)
            + REPORT_DESCRIPTOR.ljust(4096, b"\0")
        )
        self.log("plugging")
        with self.write_lock:
            self._write_event(UHID_CREATE2, payload)
        with self.state:
            self.plugged = True
        node = self._hidraw_node()
        self.log(f"ready {node}" if node else "ready (no hidraw node appeared: is hid-generic loaded?)")

    def unplug(self):
        with self.state:
            if not self.plugged:
                return
            self.plugged = False
            self.generation += 1
            self.busy = None
            self.state.notify_all()
        with self.write_lock:
            self._write_event(UHID_DESTROY, b"")
        self.log("unplugged")

    def _hidraw_node(self):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                for h in os.listdir("/sys/class/hidraw"):
                    with open(f"/sys/class/hidraw/{h}/device/uevent") as f:
                        if f"HID_UNIQ={self.uniq}\n" in f.read():
                            node = f"/dev/{h}"
                            if os.path.exists(node):
                                return node
            except OSError:
                pass
            time.sleep(0.05)
        return None

    def send(self, cid, cmd, data, generation=None):
        """Writes one CTAPHID message as 64-byte input reports."""
        with self.state:
            if not self.plugged or (generation is not None and generation != self.generation):
                return
        head = struct.pack(">IBH", cid, cmd, len(data))
        packets = [head + data[:57]]
        rest, seq = data[57:], 0
        while rest:
            packets.append(struct.pack(">IB", cid, seq) + rest[:59])
            rest, seq = rest[59:], seq + 1
        with self.write_lock:
            for p in packets:
                self._write_event(UHID_INPUT2, struct.pack("<H", 64) + p.ljust(64, b"\0"))

    def error(self, cid, code):
        self.send(cid, CTAPHID_ERROR, bytes([code]))

    # -------------------------------------------------------------------------- the reports
    def run(self):
        """Answers the kernel's events; a read blocks while no device is plugged in."""
        while True:
            try:
                ev = os.read(self.fd, UHID_EVENT_SIZE)
            except InterruptedError:
                continue
            kind = struct.unpack_from("<I", ev)[0]
            if kind == UHID_OUTPUT:
                data = ev[4:4 + 4096]
                size = struct.unpack_from("<H", ev, 4 + 4096)[0]
                report = data[:size]
                if size == 65:  # report number 0 first, as hidraw writers send it
                    report = report[1:]
                self.packet(report.ljust(64, b"\0")[:64])
            elif kind == UHID_GET_REPORT:
                req_id = struct.unpack_from("<I", ev, 4)[0]
                with self.write_lock:
                    self._write_event(UHID_GET_REPORT_REPLY, struct.pack("<IHH", req_id, 5, 0))
            elif kind == UHID_SET_REPORT:
                req_id = struct.unpack_from("<I", ev, 4)[0]
                with self.write_lock:
                    self._write_event(UHID_SET_REPORT_REPLY, struct.pack("<IH", req_id, 5))

    def packet(self, p):
        cid = struct.unpack_from(">I", p)[0]
        if p[4] & 0x80:
            cmd, length = p[4], struct.unpack_from(">H", p, 5)[0]
            if cmd == CTAPHID_CANCEL:
                with self.state:
                    if self.busy == cid:
                        self.cancelled = True
                        self.state.notify_all()
                self.log("cancel")
                return
            if cmd == CTAPHID_INIT:
                self.partial.pop(cid, None)
            elif cid in self.partial:
                self.partial.pop(cid)
                self.error(cid, ERR_INVALID_SEQ)
                return
            if length > MAX_MESSAGE:
                self.error(cid, ERR_INVALID_LEN)
                return
            self.partial[cid] = [cmd, length, bytearray(p[7:7 + min(length, 57)]), 0]
        else:
            msg = self.partial.get(cid)
            if msg is None:
                return  # a stray continuation is ignored (CTAP 2.1 §11.2.4)
            if p[4] != msg[3]:
                self.partial.pop(cid)
                self.error(cid, ERR_INVALID_SEQ)
                return
            msg[3] += 1
            msg[2] += p[5:5 + min(msg[1] - len(msg[2]), 59)]
        cmd, length, data, _ = self.partial[cid]
        if len(data) >= length:
            del self.partial[cid]
            self.message(cid, cmd, bytes(data))

    def message(self, cid, cmd, data):
        if cmd == CTAPHID_INIT:
            if len(data) != 8:
                self.error(cid, ERR_INVALID_LEN)
                return
            if cid == BROADCAST:
                new = self.next_cid
                self.next_cid += 1
                self.channels.add(new)
            else:
                new = cid
            self.log(f"init {new:08x}")
            self.send(cid, CTAPHID_INIT, data + struct.pack(">IBBBBB", new, 2, 0, 1, 0, CAPABILITIES))
            return
        if cid == BROADCAST or cid == 0 or cid not in self.channels:
            self.error(cid, ERR_INVALID_CHANNEL)
            return
        if cmd == CTAPHID_PING:
            self.log("ping")
            self.send(cid, CTAPHID_PING, data)
        elif cmd == CTAPHID_WINK:
            self.log("wink")
            self.send(cid, CTAPHID_WINK, b"")
        elif cmd == CTAPHID_CBOR:
            with self.state:
                if self.busy is not None:
                    self.error(cid, ERR_CHANNEL_BUSY)
                    return
                self.busy, self.cancelled = cid, False
                generation = self.generation
            threading.Thread(target=self.cbor, args=(cid, data, generation), daemon=True).start()
        else:
            self.error(cid, ERR_INVALID_CMD)

    def cbor(self, cid, data, generation):
        def wait_touch():
            self.log("upneeded")
            deadline = time.monotonic() + TOUCH_TIMEOUT
            with self.state:
                while True:
                    if self.generation != generation:
                        raise Gone()
                    if self.cancelled:
                        self.log("cancelled")
                        raise Refuse(ERR_KEEPALIVE_CANCEL)
                    if self.touched or self.autotouch:
                        self.touched = False
                        self.log("touched")
                        return
                    left = deadline - time.monotonic()
                    if left <= 0:
                        self.log("touch-timeout")
                        raise Refuse(ERR_USER_ACTION_TIMEOUT)
                    self.state.wait(min(left, 0.1))
                    if self.generation == generation and not (self.cancelled or self.touched or self.autotouch):
                        # The keepalive goes out without the lock: no I/O under it.
                        self.state.release()
                        try:
                            self.send(cid, CTAPHID_KEEPALIVE, bytes([KEEPALIVE_UPNEEDED]), generation)
                        finally:
                            self.state.acquire()

        try:
            with self.state:
                auth = self.auth
            response = bytes([OK]) + cbor(auth.handle(data, wait_touch))
        except Refuse as r:
            response = bytes([r.status])
        except Gone:
            return
        except Exception as e:  # a bug in this key must show, not hang the test
            self.log(f"internal-error {e!r}")
            response = bytes([0x7F])
        with self.state:
            if self.generation != generation:
                return
            self.busy = None
        self.send(cid, CTAPHID_CBOR, response, generation)

    # ------------------------------------------------------------------------- the control
    def control(self):
        # Opened for reading and writing, so the FIFO always has a writer: it never reaches
        # end-of-file, and a command written as the last writer closes is never lost. (Reopening
        # it at each end-of-file lost such a command, or failed its writer with EPIPE.)
        fd = os.open(os.path.join(self.dir, "ctl"), os.O_RDWR | os.O_CLOEXEC)
        pending = b""
        while True:
            try:
                chunk = os.read(fd, 4096)
            except InterruptedError:
                continue
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                words = line.decode(errors="replace").split()
                if words:
                    self.command(words)

    def command(self, words):
        cmd, args = words[0], words[1:]
        if cmd == "touch":
            with self.state:
                self.touched = True
                self.state.notify_all()
        elif cmd == "autotouch":
            with self.state:
                self.autotouch = args == ["on"]
                self.state.notify_all()
        elif cmd == "pin":
            with self.state:
                self.auth.pin, self.auth.retries = args[0], PIN_RETRIES
            self.log("pin-set")
        elif cmd == "reset":
            # A new key of the same name: no credentials, no PIN unless pin=…, untouched.
            with self.state:
                self.auth = Authenticator(self.name, self.log)
                self.autotouch = "autotouch" in args
                self.touched = False
                for a in args:
                    if a.startswith("pin="):
                        self.auth.pin = a[4:]
            self.log("reset")
        elif cmd == "retries":
            with self.state:
                self.auth.retries = int(args[0])
        elif cmd == "unplug":
            self.unplug()
        elif cmd == "plug":
            self.plug()
        elif cmd == "quit":
            self.log("quit")
            os._exit(0)
        else:
            self.log(f"unknown-command {cmd}")


def main():
    faulthandler.register(signal.SIGUSR1)  # a test that times out asks for every thread's stack
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--name", default="A")
    ap.add_argument("--pin")
    ap.add_argument("--autotouch", action="store_true")
    ap.add_argument("--unplugged", action="store_true", help="start unplugged (plug it in with `plug`)")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    ctl = os.path.join(a.dir, "ctl")
    if not os.path.exists(ctl):
        os.mkfifo(ctl, 0o600)
    key = Key(a.dir, a.name, a.autotouch)
    key.auth.pin = a.pin
    threading.Thread(target=key.control, daemon=True).start()
    if a.unplugged:
        key.log("waiting unplugged")
    else:
        key.plug()
    try:
        key.run()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
