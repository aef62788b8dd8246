// Renders /openapi.json with Swagger UI (served from its WebJar by this server: nothing is fetched from elsewhere).
// "Try it out" sends requests to the server that serves this page, listed first among the document's servers.
'use strict';
(function () {
  function show(spec) {
    var here = { url: window.location.origin, description: 'this server' };
    spec.servers = [here].concat((spec.servers || []).filter(function (s) { return s.url !== here.url; }));
    window.ui = SwaggerUIBundle({
      spec: spec,
      dom_id: '#swagger-ui',
      deepLinking: true,
      validatorUrl: null,
      presets: [SwaggerUIBundle.presets.apis],
      layout: 'BaseLayout',
      defaultModelsExpandDepth: 0,
      displayRequestDuration: true,
      tryItOutEnabled: false,
      persistAuthorization: false
    });
  }
  fetch('/openapi.json', { credentials: 'omit' })
    .then(function (r) {
      if (!r.ok) throw new Error('GET /openapi.json answered ' + r.status);
      return r.json();
    })
    .then(show)
    .catch(function (e) {
      var p = document.createElement('p');
      p.className = 'failed';
      p.setAttribute('role', 'alert');
      p.textContent = 'The API description could not be loaded: ' + e.message;
      document.getElementById('swagger-ui').appendChild(p);
    });
})();
