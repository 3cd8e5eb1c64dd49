import type { Channel, Message } from 'amqplib';

/**
 * The acks of one consumer channel, sent once per turn of the event loop: the deliveries settled
 * since the last turn that follow on from every earlier one are acked together with one
 * `multiple` ack up to the last of them; one settled while an earlier delivery is still being
 * handled is acked on its own at once, so a slow delivery never holds back the acks (and so
 * the prefetch) of those after it. A delivery tag is acked exactly once: acking an unknown tag
 * would close the channel.
 */
export function batchedAcks(channel: Pick<Channel, 'ack'>) {
  /** Delivered and not acked yet, in delivery order (the broker numbers them upwards). */
  const open: { message: Message; settled: boolean; acked: () => void }[] = [];
  let scheduled = false;

  function flush() {
    scheduled = false;
    let last: (typeof open)[number] | undefined;
    let head = 0;
    while (head < open.length && open[head].settled) last = open[head++];
    const done = open.splice(0, head);
    for (let i = 0; i < open.length; ) {
      if (open[i].settled) done.push(...open.splice(i, 1));
      else i++;
    }
    try {
      if (last) channel.ack(last.message, true);
      for (const entry of done.slice(head)) channel.ack(entry.message);
    } catch {
      // The channel closed: the broker delivers what it had not been told of again.
    }
    for (const entry of done) entry.acked();
  }

  return {
    /** A new delivery: its tag is after every earlier one's. */
    delivered(message: Message) {
      const entry = { message, settled: false, acked: () => undefined as void };
      open.push(entry);
      /** Acks it with the next batch; resolves once the ack is written. */
      return () =>
        new Promise<void>((resolve) => {
          entry.settled = true;
          entry.acked = resolve;
          if (!scheduled) {
            scheduled = true;
            setImmediate(flush);
          }
        });
    },
  };
}
