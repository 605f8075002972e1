/** The lab's notices about recordings: a file being checked, a stopped recording offered for download, a draft offered back. */
import { formatTime, type Notices } from '../ui/page.ts';
import type { DraftInfo, FileOut, RecordingSummary } from '../engine/protocol.ts';

export class SessionNotices {
  /** Object URL of the recording offered for download. */
  private offeredUrl: string | undefined;

  constructor(private readonly notices: Notices) {}

  /** While a recording from a file (or the automation handle) is checked by replaying it. */
  showChecking(name: string | undefined): void {
    this.notices.show('loading', `Checking ${name ? `“${name}”` : 'the recording'}: replaying it to verify its digest…`);
  }

  hideChecking(): void {
    this.notices.hide('loading');
  }

  /** Offers a stopped recording's file for download (its object URL lives as long as the notice). */
  offerRecording(file: FileOut, recording: RecordingSummary): void {
    if (this.offeredUrl) URL.revokeObjectURL(this.offeredUrl);
    const url = URL.createObjectURL(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mime }));
    this.offeredUrl = url;
    const size = file.bytes!.length;
    const what = `${formatTime(recording.timeMs)}, ${recording.events} event${recording.events === 1 ? '' : 's'}, ${size < 10_000 ? `${size} bytes` : `${(size / 1024).toFixed(0)} KB`}`;
    this.notices.show('recording', `Recording ready (${what}): ${file.name}`, [{ id: 'download-recording', label: '⤓ download', href: url, download: file.name, done: true }], {
      tone: 'good',
      onClose: () => {
        if (this.offeredUrl === url) this.offeredUrl = undefined;
        URL.revokeObjectURL(url);
      },
    });
  }

  /** The offered recording is no longer what the page is about (a replay, another scene, a new recording): its notice leaves. */
  withdrawRecording(): void {
    this.notices.hide('recording');
  }

  /** Offers back a draft left by an earlier page, with restore and discard. */
  offerDraft(draft: DraftInfo, restore: () => void, discard: () => void): void {
    const saved = new Date(draft.savedAt).toLocaleTimeString();
    this.notices.show(
      'draft',
      `A recording was in progress when this page last closed: ${draft.title}, ${formatTime(draft.timeMs)}, ${draft.events} event${draft.events === 1 ? '' : 's'} (saved ${saved}). Restore it?`,
      [
        { id: 'restore-draft', label: 'restore', run: restore },
        { id: 'discard-draft', label: 'discard', run: discard },
      ],
    );
  }

  showRestoring(): void {
    this.notices.show('draft', 'Restoring the recording: rebuilding its output by replay…');
  }

  hideDraft(): void {
    this.notices.hide('draft');
  }
}
