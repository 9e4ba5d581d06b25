"""Our server beside public peers (y-websocket, pycrdt-websocket) doing the same broadcast job."""
