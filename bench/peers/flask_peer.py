"""The original project's webhook route as a peer, written from its documented behaviour (not its source).

A minimal Flask app for gunicorn (1 worker x 8 threads, as the original ships): check
X-Hub-Signature-256 (HMAC-SHA256 of the raw body, compared in constant time), parse the JSON, and
for a queued workflow_job decide from the job's labels whether a runner template serves it. It does
not call Google Cloud or GitHub, as the bench's other peers do not.
BENCH_SECRET: the webhook secret; BENCH_LABELS: the runner's labels, comma-separated.
"""
import hashlib
import hmac
import os

from flask import Flask, jsonify, request

SECRET = os.environ.get("BENCH_SECRET", "").encode()
LABELS = {label.strip().lower() for label in os.environ.get("BENCH_LABELS", "").split(",") if label.strip()}

app = Flask(__name__)


@app.post("/webhook")
def webhook():
    body = request.get_data()
    expected = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Hub-Signature-256", "")):
        return jsonify(error="invalid signature"), 401
    if request.headers.get("X-GitHub-Event") != "workflow_job":
        return jsonify(status="ignored"), 200
    payload = request.get_json()
    job = payload.get("workflow_job") or {}
    if payload.get("action") != "queued":
        return jsonify(status="ignored"), 200
    served = all(label.lower() in LABELS for label in job.get("labels", []))
    return jsonify(status="accepted" if served else "ignored"), 200
