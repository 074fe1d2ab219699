/** Placeholder: written by the page's owner. */
export default function Page() {
  return <p>board</p>;
}
