// A few lines of client-side routing: history.pushState and a hook that re-renders on change.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

export function Navigate(to: string) {
  history.pushState(null, "", to);
  dispatchEvent(new PopStateEvent("popstate"));
}

export function useLocation(): URL {
  const [href, setHref] = useState(location.href);
  useEffect(() => {
    const update = () => setHref(location.href);
    addEventListener("popstate", update);
    return () => removeEventListener("popstate", update);
  }, []);
  return new URL(href);
}

export function Link(props: { href: string; class?: string; children: ComponentChildren; "aria-current"?: "page" }) {
  return (
    <a
      href={props.href}
      class={props.class}
      aria-current={props["aria-current"]}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        Navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}
