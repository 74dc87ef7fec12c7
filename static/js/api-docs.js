// The interactive API reference over /openapi.json. A file rather than an inline script: the CSP allows no other.
window.addEventListener("DOMContentLoaded", function () {
  window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    // Calls made with "Try it out" stay on this tracker, and a token typed into Authorize is not kept.
    persistAuthorization: false,
    withCredentials: false,
  });
});
