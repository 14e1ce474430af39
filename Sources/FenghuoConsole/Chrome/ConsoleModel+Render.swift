import FenghuoDomain
import FenghuoTUI

extension ConsoleModel {
    public func render(into buffer: inout Buffer) -> (x: Int, y: Int)? {
        let c = context
        let area = buffer.area
        buffer.fill(area, style: c.theme[.base])
        if area.width < Self.minimumSize.width || area.height < Self.minimumSize.height {
            renderTooSmall(into: &buffer)
            return nil
        }
        renderTitleBar(into: &buffer)
        if serves(active) {
            self[pane: active].render(in: bodyArea, into: &buffer, context: c)
        } else {
            renderNotForRole(active, in: bodyArea, into: &buffer)
        }
        renderQueuedMarks(into: &buffer)
        if case .help = mode { renderHelp(into: &buffer) }
        if case .queue(let row) = mode { renderQueue(selected: row, into: &buffer) }
        var caret: (x: Int, y: Int)?
        if case .form(let intake) = mode { caret = renderForm(intake, into: &buffer) }
        let bottom = Rect(x: 0, y: area.height - 1, width: area.width, height: 1)
        switch mode {
        case .filter(let input):
            let x = PromptLine(prompt: "/", input: input, hint: c.strings(.filterHint))
                .render(in: bottom, into: &buffer, theme: c.theme)
            return (x, bottom.y)
        case .command(let input, let target):
            let x = PromptLine(prompt: ":", input: input, hint: c.strings(.commandHint))
                .render(in: bottom, into: &buffer, theme: c.theme)
            // The record the line's verb will act on, on the line above; Tab's candidates above that.
            let above = renderTarget(target, typed: input.text, above: bottom, into: &buffer)
            if !completions.isEmpty { renderCompletions(above: above, into: &buffer) }
            return (x, bottom.y)
        case .confirm(let write):
            renderConfirm(write, in: bottom, into: &buffer)
            return nil
        case .quitting(let waiting):
            renderQuestion(context.strings.quitWithQueued(waiting), in: bottom, into: &buffer)
            return nil
        case .password:
            // The typed text is never drawn, not even as dots: the prompt and its hint only.
            let x = PromptLine(prompt: c.strings.passwordPrompt(user: sync?.username ?? ""), input: TextInput(),
                               hint: c.strings.passwordHint)
                .render(in: bottom, into: &buffer, theme: c.theme)
            return (x, bottom.y)
        case .normal, .help, .form, .queue:
            renderStatusBar(in: bottom, into: &buffer)
            // A message too long for the status bar gets the whole line above it.
            // A message too long for the status bar gets whole lines above it (up to three).
            if let flash, flash.text.displayWidth + 2 > area.width - rightStatusWidth {
                let style = c.theme[flash.isError ? .statusOffline : .statusWarning]
                let text = Paragraph([[Span(flash.text, style)]])
                let rows = min(3, text.wrapped(toWidth: area.width - 2).count)
                let box = Rect(x: 0, y: area.height - 1 - rows, width: area.width, height: rows)
                buffer.fill(box, style: style)
                _ = text.render(in: box.inset(horizontal: 1), into: &buffer)
            }
            return caret
        }
    }

    /// Tab's candidates on up to three lines above the `:` line, with how many did not fit.
    private func renderCompletions(above line: Rect, into buffer: inout Buffer) {
        let c = context
        let width = line.width - 2
        var rows: [String] = [""]
        var shown = 0
        for candidate in completions {
            let cell = candidate + "   "
            if (rows[rows.count - 1] + cell).displayWidth > width {
                if rows.count == 3 { break }
                rows.append("")
            }
            rows[rows.count - 1] += cell
            shown += 1
        }
        if shown < completions.count {
            rows[rows.count - 1] += c.isChinese ? "…另有\(completions.count - shown)项" : "…\(completions.count - shown) more"
        }
        let box = Rect(x: 0, y: line.y - rows.count, width: line.width, height: rows.count)
        buffer.fill(box, style: c.theme[.statusWarning])
        for (i, row) in rows.enumerated() {
            buffer.write(row, x: 1, y: box.y + i, style: c.theme[.statusWarning], clip: box)
        }
    }

    /// Columns the right-hand side of the status bar takes.
    var rightStatusWidth: Int { rightStatusSpans().reduce(0) { $0 + $1.text.displayWidth } }

    /// Who is at the console, then the agent's state (or the local database). The connection
    /// state must be read whole: the operator's name gives way when both do not fit.
    func rightStatusSpans() -> [Span] {
        let c = context
        let state = agentConnected ? syncSpans() : [Span(" \(c.strings(.localMode)) ", c.theme[.statusOnline])]
        let label = (operatorLabel.isEmpty ? [] : [Span(" \(operatorLabel) ", c.theme[.statusBar])])
            + (isReadOnly ? [Span(" \(c.strings.readOnly) ", c.theme[.statusWarning])] : [])
        let width = (label + state).reduce(0) { $0 + $1.text.displayWidth }
        return width < size.width ? label + state : state
    }

    private func renderTitleBar(into buffer: inout Buffer) {
        let c = context
        let s = c.strings
        let row = Rect(x: 0, y: 0, width: buffer.area.width, height: 1)
        buffer.fill(row, style: c.theme[.title])
        var x = buffer.write(" \(s(.appName)) ", x: 0, y: 0, style: c.theme[.titleAccent], clip: row)
        let clock = " " + c.format.clock(c.now) + " "
        let clockX = row.maxX - clock.displayWidth
        let tabs = Tabs(titles: PaneID.allCases.map { s($0.title) }, active: active.rawValue)
        // The tabs always fit; the city and subtitle give way on a narrow screen.
        let city = c.directory.cityName.isEmpty ? "" : (c.isChinese ? c.directory.cityName : c.directory.cityNameEN)
        let room = clockX - x - tabs.width
        for label in [city + " " + s(.appSubtitle) + "  ", city + "  "] where !city.isEmpty && label.displayWidth <= room {
            x = buffer.write(label, x: x, y: 0, style: c.theme[.title], clip: row)
            break
        }
        tabs
            .render(at: x, y: 0, into: &buffer, theme: c.theme, clip: Rect(x: 0, y: 0, width: clockX, height: 1))
        buffer.write(clock, x: clockX, y: 0, style: c.theme[.titleAccent], clip: row)
    }

    private func renderStatusBar(in row: Rect, into buffer: inout Buffer) {
        let c = context
        var left: [Span] = []
        if let flash, flash.text.displayWidth + 2 <= row.width - rightStatusWidth {
            left = [Span(" " + flash.text + " ", c.theme[flash.isError ? .statusOffline : .statusWarning])]
        }
        let right = rightStatusSpans()
        if left.isEmpty {
            // The most useful whole hints that fit beside the right-hand side (HintBar.swift).
            let room = row.width - right.reduce(0) { $0 + $1.text.displayWidth } - 1
            // `n` is hinted only where it opens a form: with an agent to send it to; `P` first,
            // and only while the agent waits for a password.
            left = hintSpans(((wantsPassword ? [keyMap.login] : []) + keyMap.global + keyMap.paneBindings(active))
                .filter { $0 != keyMap.new || (agentConnected && may(IntakeForm.Kind(pane: active)?.command)) }, room: room)
        }
        StatusBar(left: left, right: right, style: c.theme[.statusBar]).render(in: row, into: &buffer)
    }

    /// The agent's one connection state (with its reason), the queued commands, and one age:
    /// when central last vouched the data current. Nothing else, so each fact is said once.
    func syncSpans() -> [Span] {
        let c = context
        let s = c.strings
        guard agentReachable, let sync else { return [Span(" \(s(.agentDown)) ", c.theme[.statusOffline])] }
        // Nothing else about syncing is true any more: say only this.
        if sync.revoked || sync.connection == .revoked { return [Span(" \(s(.revoked)) ", c.theme[.danger])] }
        var spans: [Span] = []
        if sync.phase == .snapshot {
            let percent = sync.snapshotTotal > 0 ? sync.snapshotDone * 100 / sync.snapshotTotal : 0
            spans.append(Span(" \(s(.snapshotting)) \(percent)% ", c.theme[.statusWarning]))
        }
        let online = sync.connection == .online
        spans.append(Span(" \(s.connection(sync.connection, now: c.now)) ", c.theme[online ? .statusOnline : .statusOffline]))
        spans.append(Span(" \(s.queuedCount(sync.outbox)) ", c.theme[sync.outbox > 0 ? .statusWarning : .statusBar]))
        spans.append(Span(" \(s.dataAsOf(sync.dataAsOf, now: c.now, format: c.format)) ",
                          c.theme[staleMinutes != nil ? .statusWarning : .statusBar]))
        return spans
    }

    private func renderTooSmall(into buffer: inout Buffer) {
        let c = context
        let s = c.strings
        let area = buffer.area
        let lines = [s(.tooSmall),
                     s.tooSmall(width: area.width, height: area.height, needWidth: Self.minimumSize.width,
                                needHeight: Self.minimumSize.height),
                     "q " + s(.keyQuit)]
        let top = max(0, area.height / 2 - 1)
        for (i, line) in lines.enumerated() where top + i < area.height {
            let text = line.truncated(toWidth: area.width)
            let x = max(0, (area.width - text.displayWidth) / 2)
            buffer.write(text, x: x, y: top + i, style: i == 0 ? c.theme[.danger] : c.theme[.base])
        }
    }

    /// The `?` overlay, generated from the key map: keys on the left, command verbs on the right.
    private func renderHelp(into buffer: inout Buffer) {
        let c = context
        let s = c.strings
        var keys: [[Span]] = [[Span(s(.helpGlobal), c.theme[.accent])]]
        func add(_ bindings: [KeyBinding]) {
            for b in bindings {
                keys.append([Span(" " + b.label.padded(toWidth: 14), c.theme[.helpKey]), Span(b.help, c.theme[.helpText])])
            }
        }
        // `P` logs in again on an agent's console (it opens only while a password is wanted).
        add(keyMap.global + (agentConnected ? [keyMap.login] : []))
        // `n` only where the role may send what its form makes.
        let local = keyMap.paneBindings(active).filter { $0 != keyMap.new || may(IntakeForm.Kind(pane: active)?.command) }
        if !local.isEmpty {
            keys.append([Span(s(active.title), c.theme[.accent])])
            add(local)
        }
        var commands: [[Span]] = [[Span(s(.helpCommands), c.theme[.accent])]]
        for (usage, text) in CommandLine.help {
            commands.append([Span(" " + usage, c.theme[.helpKey])])
            commands.append([Span("   " + s(text), c.theme[.helpText])])
        }
        // The writes that act on this pane's selection, by usage (`help VERB` describes one).
        if agentConnected, isReadOnly {
            commands.append([Span(s.readOnlyHelp, c.theme[.accent])])
        } else if agentConnected {
            commands.append([Span(s(.helpWrites), c.theme[.accent])])
            // On as few lines as they fit (the overlay must fit 80×24); only what the role may send.
            let usages = allowedVerbs.filter { $0.pane == active || $0.pane == nil }.map(\.usage) + [Verb.submitUsage]
            commands.append([Span(" " + usages.joined(separator: " · "), c.theme[.helpKey])])
        }
        let body = bodyArea
        let width = min(84, body.width - 2)
        let columnWidth = (width - 4) / 2
        let rows = max(Paragraph(keys).wrapped(toWidth: columnWidth).count,
                       Paragraph(commands).wrapped(toWidth: columnWidth).count)
        let height = min(rows + 2, body.height)
        let box = Rect(x: body.x + (body.width - width) / 2, y: body.y + max(0, (body.height - height) / 2),
                       width: width, height: height)
        buffer.fill(box, style: c.theme[.base])
        let inner = c.panel(s(.helpTitle), right: s(.helpClose), focused: true, in: box, into: &buffer)
        let columns = Layout.horizontal([.fill(1), .fill(1)], spacing: 2).split(inner.inset(horizontal: 1))
        Paragraph(keys).render(in: columns[0], into: &buffer)
        Paragraph(commands).render(in: columns[1], into: &buffer)
    }
}
