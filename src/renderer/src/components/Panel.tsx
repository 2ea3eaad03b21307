import type { FormEvent, ReactNode, Ref } from 'react'
import { Icon, type IconName } from './Icon'

interface PanelProps {
  title: string
  /** Labels the panel (aria-labelledby), so each panel is a named region or group for screen readers. */
  titleId: string
  /** The heading level that fits the page's outline: 2 on a screen, 3 under a settings page's h2. */
  level?: 2 | 3
  icon?: IconName
  /** 'div' with role="group" where a region landmark would be too much (parts of a settings page). */
  as?: 'section' | 'div'
  role?: 'group'
  /** The panel is this form: its footer holds the submit button. */
  form?: { onSubmit(event: FormEvent<HTMLFormElement>): void; ref?: Ref<HTMLFormElement> }
  /** Wraps the content in a padded body with these classes; omit it for content that brings its own spacing (facts). */
  bodyClassName?: string
  footer?: ReactNode
  testId?: string
  children: ReactNode
}

/** A bordered card with a titled header, its content and an optional footer of actions. */
export function Panel({ title, titleId, level = 2, icon, as = 'section', role, form, bodyClassName, footer, testId, children }: PanelProps) {
  const Heading = level === 2 ? 'h2' : 'h3'
  const frame = { className: 'panel', 'aria-labelledby': titleId, 'data-testid': testId, role }
  const content = (
    <>
      <header className="panel__header">
        {icon ? <Icon name={icon} /> : null}
        <Heading id={titleId} className="panel__title">
          {title}
        </Heading>
      </header>
      {bodyClassName !== undefined ? <div className={`panel--padded ${bodyClassName}`.trim()}>{children}</div> : children}
      {footer ? <footer className="panel__footer">{footer}</footer> : null}
    </>
  )
  if (form) {
    return (
      <form ref={form.ref} onSubmit={form.onSubmit} noValidate {...frame}>
        {content}
      </form>
    )
  }
  return as === 'div' ? <div {...frame}>{content}</div> : <section {...frame}>{content}</section>
}
