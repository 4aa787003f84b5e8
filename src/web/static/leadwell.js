// Start the NHS design system components. Every page works without this script.
import { initAll } from '/assets/nhsuk-frontend.min.js';

initAll();
