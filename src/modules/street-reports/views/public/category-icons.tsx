import type { CategoryIconName } from '../../domain/categories.js';

/**
 * The icons of the category tree's top level, drawn as strokes in the text's colour (so they follow
 * the theme and high-contrast modes) and hidden from assistive technologies: the label says it all.
 * A city names one per category in its category configuration (`icon`); unknown names get `other`.
 */
const PATHS: Record<CategoryIconName, string> = {
  commerce: 'M4 10h16l-1-5H5zM5 10v9h14v-9M9 19v-5h6v5',
  tree: 'M12 21v-6M12 15c-4 0-6-2-6-5a6 6 0 0 1 12 0c0 3-2 5-6 5z',
  vehicle: 'M3 15l2-5h14l2 5v3H3zM7 18v2M17 18v2M6 15h2M16 15h2',
  water: 'M12 3c3 5 6 8 6 12a6 6 0 0 1-12 0c0-4 3-7 6-12z',
  graffiti: 'M4 20c3-6 6-2 8-6s4-6 8-8M14 4l6 6',
  furniture: 'M4 12h16M6 12v6M18 12v6M5 8h14v4H5z',
  bulky: 'M4 9l8-4 8 4v8l-8 4-8-4zM4 9l8 4 8-4M12 13v8',
  cleanliness: 'M8 3h8l-1 4H9zM7 7h10l-1 14H8zM10 11v6M14 11v6',
  road: 'M8 3L4 21M16 3l4 18M12 5v3M12 11v3M12 17v3',
  lighting: 'M12 21V9M12 9h5M17 9a3 3 0 0 1 3 3H14a3 3 0 0 1 3-3zM9 21h6',
  other: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 8v5M12 16v.5',
};

export function CategoryIcon({ name }: { name?: CategoryIconName }) {
  return (
    <svg
      class="category-icon"
      viewBox="0 0 24 24"
      width="24"
      height="24"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      stroke-width="1.8"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      <path d={PATHS[name ?? 'other']} />
    </svg>
  );
}
