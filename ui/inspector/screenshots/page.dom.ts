/**
 * The page lama-inspector.screenshots.node.test.ts photographs: the inspector fed by the
 * inspector test kit (real machines, real collectors, fake effects). The test drives the kit
 * through `window.inspectorKit`.
 */
// As the renderer does, before any schema is built (the page's CSP forbids eval).
import '../../../hosts/browser/zod-jitless.dom.ts';
import { startInspectorKit } from '../inspector-test-kit.ts';
import '../lama-inspector.ts';

const kit = await startInspectorKit();
const inspector = document.createElement('lama-inspector');
inspector.services = kit.services;
document.body.append(inspector);
(window as { inspectorKit?: typeof kit }).inspectorKit = kit;
