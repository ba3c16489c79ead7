"""A CSV export longer than gunicorn's timeout still arrives whole (issue 31, item 1).

Production gunicorn with a 3-second timeout, 40,000 requests, and a download read
slowly through a small receive window so that it takes several times the timeout. A
sync worker tells the master it is alive only between requests: before the heartbeat
(portal/heartbeat.py) the master killed it mid-file and the access record claimed every
row. Now every row arrives and the record says so.
"""

import csv
import http.client
import io
import socket
import time
import urllib.parse

from tests.reliability.harness import production_deployment
from tests.reliability.test_production_workers import Browser, shell

ROWS = 40_000
TIMEOUT = 3
EXPORT = "/admin/appointments/consultationrequest/export/"

MAKE_ROWS = f"""
from appointments.models import ConsultationRequest
from clinic.models import Brand
kmd = Brand.objects.get(slug="kmd")
place = kmd.locations.first()
ConsultationRequest.objects.bulk_create(
    [
        ConsultationRequest(
            brand=kmd, location=place, reference=f"KMD-LX{{n:05d}}", name=f"Pat Long {{n}}",
            email=f"long{{n}}@example.org", phone=f"+1305{{2000000 + n}}", message="-",
            status="completed",
        )
        for n in range({ROWS})
    ],
    batch_size=2000,
)
"""


def slow_download(base, path, cookies, host="kmd.localhost"):
    """GET ``path`` with a 16 KB receive window, reading 32 KB every 40 ms (about
    800 KB/s): return the body and the seconds it took."""
    netloc = urllib.parse.urlsplit(base).netloc
    connection = http.client.HTTPConnection(netloc, timeout=60)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 * 1024)  # before the handshake
    sock.settimeout(60)
    sock.connect((connection.host, connection.port))
    connection.sock = sock
    started = time.monotonic()
    connection.request(
        "GET",
        path,
        headers={"Host": host, "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
    )
    response = connection.getresponse()
    assert response.status == 200, response.status
    body = bytearray()
    while True:
        try:
            chunk = response.read(32 * 1024)
        except http.client.IncompleteRead as cut:  # the worker died mid-file
            body += cut.partial
            break
        if not chunk:
            break
        body += chunk
        time.sleep(0.04)
    connection.close()
    return bytes(body), time.monotonic() - started


def test_an_export_longer_than_the_worker_timeout_arrives_whole(tmp_path):
    with production_deployment(tmp_path, workers=1, timeout=TIMEOUT) as server:
        shell(server["env"], MAKE_ROWS)
        total = int(
            shell(
                server["env"],
                "from appointments.models import ConsultationRequest as C; "
                "print(C.objects.filter(brand__slug='kmd').count())",
            )
        )
        staff = Browser(server["base"], host="kmd.localhost")
        staff.log_in("kmd-admin")
        body, seconds = slow_download(server["base"], EXPORT, staff.cookies)
        lines = list(csv.reader(io.StringIO(body.decode())))
        assert seconds > 2 * TIMEOUT, seconds  # the test is about a long download
        assert len(lines) == total + 1, len(lines)  # the header and every row
        assert len(lines[-1]) == len(lines[0])  # the last row is whole
        log = server["log"].read_text()
        assert "WORKER TIMEOUT" not in log
        record = shell(
            server["env"],
            "from appointments.models import AccessRecord; "
            "print([r.detail for r in AccessRecord.objects.filter(action='export')"
            ".order_by('pk')])",
        )
        assert f"'{total} rows to send; filter: -', '{total} rows sent; filter: -'" in record
