// The floor: a websocket relay that keeps no document and does no work of its own. It greets
// each socket as a y-websocket server does (syncStep1, so the load generator counts it in)
// and sends every message it receives, as received, to every socket in the room, the sender
// included, as y-websocket does with an update. Same `ws` package, same Node, same kernel as
// y-websocket; only the Yjs document is gone. Whatever latency it shows with the load
// generator on the same cores is what any server pays before doing anything (BENCHMARKS.md).
const http = require('http')
const WebSocket = require('ws') // y-websocket's own, found through NODE_PATH

const host = process.env.HOST || '127.0.0.1'
const port = Number.parseInt(process.env.PORT || '1234', 10)
const GREETING = Buffer.from([0, 0, 1, 0]) // messageSync, syncStep1, an empty state vector

const sockets = new Set()
const wss = new WebSocket.Server({ noServer: true })
wss.on('connection', socket => {
  sockets.add(socket)
  socket.on('close', () => sockets.delete(socket))
  socket.on('message', message => {
    for (const other of sockets) {
      if (other.readyState === WebSocket.OPEN) other.send(message, { binary: true })
    }
  })
  socket.send(GREETING, { binary: true })
})

const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' })
  response.end('okay')
})
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, ws => wss.emit('connection', ws, request))
})
server.listen(port, host, () => console.log(`relay at ${host}:${port}`))
