import { formatDateTime } from '../../i18n/format.js';
import { Form, Notice } from '../../ui/components.js';
import type { ViewContext } from '../../ui/context.js';
import type { InboxItem } from '../inbox.js';

/** A resident's messages from the city, newest first; unread ones are marked in words, not only by style. */
export function InboxPage({ ctx, items, notice }: { ctx: ViewContext; items: InboxItem[]; notice?: string }) {
  const t = ctx.t;
  const unread = items.filter((i) => !i.readAt).length;
  return (
    <>
      <h1>{t('notifications.inbox.title')}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <p>{unread ? t('notifications.inbox.unreadCount', { count: unread }) : t('notifications.inbox.allRead')}</p>
      {unread ? (
        <Form ctx={ctx} action="/account/notifications/read">
          <button type="submit" class="secondary">
            {t('notifications.inbox.markAllRead')}
          </button>
        </Form>
      ) : null}
      {items.length ? (
        <ul class="notifications">
          {items.map((item) => (
            <li key={item.id}>
              <h2>
                {item.readAt ? null : <strong>{t('notifications.inbox.new')} </strong>}
                {item.subject}
              </h2>
              <p class="hint">
                <time dateTime={item.createdAt}>{formatDateTime(ctx.lang, item.createdAt, ctx.city.timezone)}</time>
              </p>
              {item.body.split(/\n\s*\n/).map((p) => (
                <p key={p}>{p}</p>
              ))}
              {item.link ? (
                <p>
                  <a href={item.link}>{t('notifications.inbox.open')}</a>
                </p>
              ) : null}
              {item.readAt ? null : (
                <Form ctx={ctx} action="/account/notifications/read" class="inline-form">
                  <input type="hidden" name="id" value={item.id} />
                  <button type="submit" class="link-button">
                    {t('notifications.inbox.markRead')}
                    <span class="visually-hidden"> {item.subject}</span>
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('notifications.inbox.none')}</p>
      )}
      <p>
        <a href="/account">{t('notifications.inbox.preferences')}</a>
      </p>
    </>
  );
}
