// CloudFront Function (cloudfront-js-2.0), viewer request on the site's default behavior only:
// a path whose last segment has no file extension is a client-side route, so it is served
// index.html. Done here rather than with custom error responses, which would also turn the
// API's own 403/404 answers (/api/*) into the HTML page.
function handler(event) {
  var request = event.request;
  var lastSegment = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}
