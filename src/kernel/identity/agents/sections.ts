import type { Kernel } from '../../kernel.js';
import type { NavigationEntry } from '../../modules.js';
import { type Actor, holds } from '../authorization.js';

/** The kernel's own back-office sections; modules add theirs with `navigation.admin`. */
const KERNEL_SECTIONS: NavigationEntry[] = [
  { href: '/admin/demands', label: 'demands.admin.inbox', description: 'demands.admin.inboxLead', order: 800 },
  {
    href: '/admin/citizens',
    label: 'demands.citizens.title',
    description: 'demands.citizens.lead',
    permission: 'citizens.view',
    order: 810,
  },
  { href: '/admin/workflows', label: 'workflow.list.title', description: 'workflow.list.lead', order: 820 },
  { href: '/admin/units', label: 'admin.nav.units', description: 'admin.home.units', permission: 'admin.units', order: 910 },
  { href: '/admin/roles', label: 'admin.nav.roles', description: 'admin.home.roles', permission: 'admin.roles', order: 920 },
  { href: '/admin/agents', label: 'admin.nav.agents', description: 'admin.home.agents', permission: 'admin.agents', order: 930 },
  { href: '/admin/audit', label: 'admin.nav.audit', description: 'admin.home.audit', permission: 'admin.audit', order: 940 },
  { href: '/admin/jobs', label: 'admin.nav.jobs', description: 'admin.home.jobs', permission: 'admin.jobs', order: 950 },
  {
    href: '/admin/notifications',
    label: 'admin.nav.notifications',
    description: 'admin.home.notifications',
    permission: 'admin.notifications',
    order: 945,
  },
  { href: '/admin/webhooks', label: 'admin.nav.webhooks', description: 'admin.home.webhooks', permission: 'admin.webhooks', order: 960 },
];

/** What this agent may open in the back office: the same `can` that guards the pages decides. */
export function sectionsFor(kernel: Kernel, actor: Actor): NavigationEntry[] {
  return [...kernel.modules.flatMap((m) => m.navigation?.admin ?? []), ...KERNEL_SECTIONS]
    .filter((entry) => !entry.permission || holds(actor, entry.permission))
    .sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}
