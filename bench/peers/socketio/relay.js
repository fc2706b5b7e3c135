// The seed's relay on Node's socket.io, for comparison with Parley (bench/run-comparison.sh).
// Same events as the seed: register{username, public_key} -> public_keys broadcast;
// send_message{to, ...} -> relay_message to the recipient. Keeps nothing: no storage, no acks.
// Usage: node relay.js PORT
'use strict';
const { createServer } = require('http');
const { Server } = require('socket.io');

const port = Number(process.argv[2] || 5000);
const httpServer = createServer();
const io = new Server(httpServer);
const users = new Map(); // username -> public_key

io.on('connection', (socket) => {
  socket.on('register', (data) => {
    users.set(data.username, data.public_key);
    socket.join(data.username); // the room that send_message addresses
    io.emit('public_keys', [...users].map(([username, publicKey]) => ({ username, public_key: publicKey })));
  });
  socket.on('send_message', (msg) => {
    io.to(msg.to).emit('relay_message', msg);
  });
});

httpServer.listen(port, '127.0.0.1', () => console.log(`socket.io relay on http://127.0.0.1:${port}`));
