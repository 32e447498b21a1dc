import type { FastifyReply } from 'fastify';

export interface Message {
  title: string;
  text: string;
  /** The way forward. */
  link?: { href: string; label: string };
}

function MessagePage({ title, text, link }: Message) {
  return (
    <div class="prose">
      <h1>{title}</h1>
      <p class="lead">{text}</p>
      {link ? (
        <p>
          <a href={link.href}>{link.label}</a>
        </p>
      ) : null}
    </div>
  );
}

/** A page that says one thing and offers the way forward: "check your mailbox", "this link has expired"… */
export function sendMessage(reply: FastifyReply, message: Message, status = 200): FastifyReply {
  return reply.page(message.title, <MessagePage {...message} />, { status });
}
