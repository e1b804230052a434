'use client'

/** Where the code or link went, with "Use another email" as its edit action. */
export function SentTo(props: { id: string; text: string; editLabel: string; busy: boolean; onEdit(): void }) {
  return (
    <div className="rl-sent">
      <p className="rl-muted" id={props.id}>
        {props.text}
      </p>
      <button className="rl-link-button" type="button" onClick={props.onEdit} disabled={props.busy}>
        {props.editLabel}
      </button>
    </div>
  )
}

/** "Send a new …", or the countdown until it is allowed. */
export function ResendButton(props: {
  seconds: number
  label: string
  waitLabel: string
  busy: boolean
  onResend(): void
}) {
  const { seconds } = props
  return (
    <button className="rl-link-button" type="button" onClick={props.onResend} disabled={props.busy || seconds > 0}>
      {seconds > 0 ? props.waitLabel : props.label}
    </button>
  )
}
