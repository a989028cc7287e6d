// Only the list has a loading state: a Suspense boundary above the client pages would start the
// response before notFound() and turn their 404 into a 200.
export default function Loading() {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      Chargement…
    </div>
  );
}
