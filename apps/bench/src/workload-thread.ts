// Inside the workload's worker thread: a WriteWorkload driven by messages from the bench's main thread.
import { parentPort, workerData } from "node:worker_threads";
import { WriteWorkload } from "./workload.ts";

export type ToWorkload = { type: "start" } | { type: "stop" };
export type FromWorkload =
  | { type: "ready" }
  | { type: "started"; startedAtEpochMs: number }
  | { type: "result"; result: import("./workload.ts").WorkloadResult }
  | { type: "error"; message: string };

const port = parentPort;
if (!port) throw new Error("workload-thread.ts runs in a worker thread");
const { url, ratePerSecond, connections, mix } = workerData as { url: string; ratePerSecond: number; connections: number; mix?: import("./workload.ts").WorkloadMix };
const workload = new WriteWorkload(url, { ratePerSecond, connections, ...(mix ? { mix } : {}) });
const send = (message: FromWorkload) => port.postMessage(message);

port.on("message", (message: ToWorkload) => {
  if (message.type === "start") {
    workload.start();
    send({ type: "started", startedAtEpochMs: performance.timeOrigin + workload.startedAt });
  } else {
    workload.stop().then(
      (result) => send({ type: "result", result }),
      (error: unknown) => send({ type: "error", message: (error as Error).message }),
    );
  }
});
workload.prepare().then(
  () => send({ type: "ready" }),
  (error: unknown) => send({ type: "error", message: (error as Error).message }),
);
