// Entry of the fault worker, a test fixture: crash tests run it as a thread or a process and make
// it hang, throw or die mid-task (actors/workers/fault-ops.node.ts). Production pools never start it.
import { faultHandlers } from '../../actors/workers/fault-ops.node.ts';
import { serveWorker } from '../../actors/workers/serve.ts';
import { workerPort } from '../../actors/workers/worker-port.node.ts';

serveWorker(workerPort(), 'fault', faultHandlers());
