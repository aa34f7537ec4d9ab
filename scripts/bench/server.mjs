// The benchmark's Chatwoot stand-in, run as its own process so that it does not share the
// clients' event loop: create answers a fixed real-shaped message, list a 20-message page (the default page).
import { createServer } from "node:http";

const message = (id) => ({
  id, content: "Hello, how can I help you?", inbox_id: 3, conversation_id: 42, message_type: 1, content_type: "text",
  status: "sent", content_attributes: {}, created_at: 1764040521, private: false, source_id: null,
  sender: { id: 7, name: "Jane Doe", available_name: "Jane", avatar_url: "", type: "user", availability_status: "online", thumbnail: "" },
});
const created = JSON.stringify(message(1234));
const page = JSON.stringify({
  meta: { labels: [], additional_attributes: {}, contact: { id: 501, name: "Alex", type: "contact" }, agent_last_seen_at: null, assignee_last_seen_at: null },
  payload: Array.from({ length: 20 }, (_, i) => message(1000 + i)),
});

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    const body = request.method === "GET" ? page : created;
    response.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.send?.(server.address().port));
process.on("disconnect", () => process.exit(0));
