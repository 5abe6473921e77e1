/**
 * LAYOUT-1: which layout the window gets. A desk browser at least `DESK_MIN_WIDTH` CSS pixels wide shows several
 * columns (desk rail: board and group list | the group | its details); narrower windows (tablets, phones) show one
 * screen at a time. Follows the window as it is resized or the tablet is turned.
 */
export const DESK_MIN_WIDTH = 1200;

export class Layout {
  desk = $state(false);

  constructor() {
    if (typeof window === 'undefined' || !window.matchMedia) return;
    const query = window.matchMedia(`(min-width: ${DESK_MIN_WIDTH}px)`);
    this.desk = query.matches;
    query.addEventListener('change', (e) => {
      this.desk = e.matches;
    });
  }
}

export const layout = new Layout();
