/**
 * An attachment that calls `measure` with the element each time its size changes, first once
 * it has been laid out. Unlike `bind:clientHeight`, which reads the size as the component
 * mounts, it never makes the browser lay the page out before the first frame: at start that
 * extra layout (fonts, every element) cost about 100 ms before the rows could render.
 */
export function onResize(measure: (el: HTMLElement) => void): (el: HTMLElement) => () => void {
  return (el) => {
    const observer = new ResizeObserver(() => measure(el));
    observer.observe(el);
    return () => observer.disconnect();
  };
}
