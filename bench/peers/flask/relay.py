"""The seed's Flask-SocketIO relay, for comparison with Parley (bench/run-comparison.sh).

The seed's server.py with its events: register{username, public_key} -> public_keys broadcast;
send_message{to, ...} -> relay_message to the recipient. Keeps nothing: no storage, no acks.
The one addition is join_room(username), without which the seed's `to=msg['to']` reaches no one.
Runs on eventlet (Debian python3-eventlet), Flask-SocketIO's recommended production server.
Usage: /usr/bin/python3 relay.py PORT
"""
import sys

import eventlet

eventlet.monkey_patch()

from flask import Flask  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode="eventlet")
users = {}  # username -> public_key


@socketio.on("register")
def handle_register(data):
    users[data["username"]] = data["public_key"]
    join_room(data["username"])
    socketio.emit("public_keys", [{"username": u, "public_key": users[u]} for u in users])


@socketio.on("send_message")
def handle_send(msg):
    socketio.emit("relay_message", msg, to=msg["to"])


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    socketio.run(app, host="127.0.0.1", port=port, log_output=False)
