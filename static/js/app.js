// Progressive enhancement for GOV.UK Frontend components. Every page works without it.
//
// GOV.UK's page template adds `govuk-frontend-supported` with an inline script; the CSP
// forbids inline scripts, so this module does it. A `type="module"` script only runs in
// browsers that GOV.UK Frontend supports, which is the test that inline script makes.
// The import is relative so it follows STATIC_URL.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
