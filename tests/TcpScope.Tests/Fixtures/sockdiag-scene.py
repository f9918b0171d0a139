#!/usr/bin/env python3
"""The sockets of sockdiag-tcp-dump.bin; run inside a fresh network namespace (lo up), e.g.
   ip netns exec NS iptables -A INPUT -p tcp --dport 8081 --tcp-flags SYN,ACK,FIN,RST ACK -j DROP
   ip netns exec NS python3 sockdiag-scene.py
It prints "ready" when the table is in place and holds it until stdin closes."""
import socket, sys, time

held = []

def listen(family, addr, port, backlog):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(backlog)
    held.append(s)
    return s

def connect(family, addr, port, wait=True):
    c = socket.socket(family, socket.SOCK_STREAM)
    c.setblocking(False)
    try:
        c.connect((addr, port))
    except BlockingIOError:
        pass
    held.append(c)
    if wait:
        time.sleep(0.05)
    return c

# 8080: backlog 2, three connections waiting for accept() (the queue holds limit + 1), the fourth's SYN dropped
listen(socket.AF_INET, "127.0.0.1", 8080, 2)
for _ in range(4):
    connect(socket.AF_INET, "127.0.0.1", 8080)
# 8081: the handshake's last ACK is dropped by iptables: two request sockets (half-open)
listen(socket.AF_INET, "127.0.0.1", 8081, 16)
for _ in range(2):
    connect(socket.AF_INET, "127.0.0.1", 8081)
# 8082: dual-stack [::] with backlog 5, one IPv6 and one IPv4 connection waiting
listen(socket.AF_INET6, "::", 8082, 5)
connect(socket.AF_INET6, "::1", 8082)
connect(socket.AF_INET, "127.0.0.1", 8082)
# 8083: one accepted connection with 5 unread bytes, and one the server closed first (TIME_WAIT there)
l = listen(socket.AF_INET, "127.0.0.1", 8083, 8)
c = connect(socket.AF_INET, "127.0.0.1", 8083)
a, _ = l.accept()
held.append(a)
c.send(b"hello")
c2 = connect(socket.AF_INET, "127.0.0.1", 8083)
a2, _ = l.accept()
a2.close()
c2.close()
time.sleep(0.2)
print("ready", flush=True)
sys.stdin.read()
