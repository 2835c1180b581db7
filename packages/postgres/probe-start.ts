import { startEmbeddedPostgres } from "@soleflip/postgres";
const s = await startEmbeddedPostgres({ dataDir: "/tmp/probe/pgdata", port: 54400, onProgress: console.log });
console.log(s.adminUrl, s.owned);
setInterval(() => {}, 1 << 30);
