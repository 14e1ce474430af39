import Foundation
import Testing
import FenghuoDomain

@Suite("Approval case: parallel sign-off by every department, decided by the statutory deadline")
struct ApprovalCaseTests {
    static let accepted = Date(timeIntervalSince1970: 1_780_000_000)
    static let later = accepted.addingTimeInterval(3600)

    /// A food-business licence: market regulation leads, fire and environment co-sign.
    static func approval(_ status: ApprovalStatus = .accepted,
                         departments: [String] = ["market", "fire", "env"],
                         deadline: String = "2026-03-04") throws -> ApprovalCase {
        ApprovalCase(id: "SP-2026-0001", itemCode: "SC-001", itemName: "食品经营许可", type: .approval,
                     applicant: "云川小吃店", applicantPhone: "02800000000", status: status,
                     steps: departments.map { ApprovalStep(department: $0) },
                     acceptedOn: try day("2026-02-12"), deadline: try day(deadline), updatedAt: accepted)
    }

    // MARK: Statutory deadline

    @Test func the_statutory_deadline_counts_working_days_under_the_holiday_schedule() throws {
        let calendar = try HolidaySchedule.calendar()
        // Thu 2026-02-12, 10 working days: Fri 13 (1) · Sat 14 worked (2) · Feb 15–23 off · Tue 24 – Fri 27 (3–6)
        //   · Sat 28 worked (7) · Mon Mar 2 (8) · Tue 3 (9) · Wed 4 (10)
        #expect(try ApprovalCase.deadline(acceptedOn: day("2026-02-12"), statutoryDays: 10, calendar: calendar)
                == day("2026-03-04"))
        // Fri 2025-09-26, 20 working days → Thu 2025-10-30 (see WorkingDayCalendarTests)
        #expect(try ApprovalCase.deadline(acceptedOn: day("2025-09-26"), statutoryDays: 20, calendar: calendar)
                == day("2025-10-30"))
    }

    // MARK: Review

    @Test func an_accepted_case_starts_review() throws {
        var approval = try Self.approval()
        try approval.apply(.startReview, at: Self.later)
        #expect(approval.status == .underReview)
        #expect(approval.updatedAt == Self.later)
        #expect(approval.version == 2)
        #expect(approval.steps.allSatisfy { $0.state == .pending })
    }

    @Test func the_case_is_approved_only_after_every_department_approves() throws {
        // Given a case under review by market, fire and env
        var approval = try Self.approval(.underReview)
        let t1 = try instant("2026-02-24T10:00:00+08:00")
        let t2 = try instant("2026-02-25T10:00:00+08:00")
        let t3 = try instant("2026-02-26T10:00:00+08:00")
        // When market approves, it is still under review
        try approval.apply(.signOff(department: "market", approve: true, opinion: "材料齐全"), at: t1)
        #expect(approval.status == .underReview)
        #expect(approval.completedOn == nil)
        #expect(approval.steps[0] == ApprovalStep(department: "market", state: .approved, opinion: "材料齐全", decidedAt: t1))
        #expect(approval.steps[1].state == .pending)
        // When env approves (out of order), still under review
        try approval.apply(.signOff(department: "env", approve: true, opinion: "同意"), at: t2)
        #expect(approval.status == .underReview)
        #expect(approval.steps[2].decidedAt == t2)
        // When fire, the last, approves
        try approval.apply(.signOff(department: "fire", approve: true, opinion: "消防验收合格"), at: t3)
        // Then the case is approved on that local day, on time
        #expect(approval.status == .approved)
        #expect(approval.completedOn == (try day("2026-02-26")))
        #expect(approval.steps.allSatisfy { $0.state == .approved })
        #expect(approval.updatedAt == t3)
        #expect(approval.version == 4)
        #expect(approval.finishedOnTime == true)
    }

    @Test func one_refusal_rejects_the_case_at_once() throws {
        // Given a case under review where market already approved
        var approval = try Self.approval(.underReview)
        try approval.apply(.signOff(department: "market", approve: true, opinion: "同意"), at: Self.later)
        // When fire refuses
        let refusedAt = try instant("2026-02-27T16:00:00+08:00")
        try approval.apply(.signOff(department: "fire", approve: false, opinion: "疏散通道不足"), at: refusedAt)
        // Then the case is rejected on that day although env never signed
        #expect(approval.status == .rejected)
        #expect(approval.completedOn == (try day("2026-02-27")))
        #expect(approval.steps.map(\.state) == [.approved, .refused, .pending])
        #expect(approval.steps[1].opinion == "疏散通道不足")
        #expect(approval.finishedOnTime == true)
        // And the remaining department can no longer sign
        let before = approval
        let error = try #require(refusal {
            try approval.apply(.signOff(department: "env", approve: true, opinion: "同意"), at: refusedAt)
        })
        #expect(error.from == "rejected")
        #expect(error.event == "sign off")
        #expect(approval == before)
    }

    @Test func a_case_with_a_single_department_is_decided_by_its_one_sign_off() throws {
        var approval = try Self.approval(.underReview, departments: ["civil"])
        try approval.apply(.signOff(department: "civil", approve: true, opinion: "准予登记"), at: Self.later)
        #expect(approval.status == .approved)
        #expect(approval.completedOn == LocalDate(Self.later))
    }

    @Test func rejects_a_second_sign_off_by_the_same_department() throws {
        // Given market has approved
        var approval = try Self.approval(.underReview)
        try approval.apply(.signOff(department: "market", approve: true, opinion: "同意"), at: Self.later)
        let before = approval
        // When market signs again, this time refusing
        let error = try #require(refusal {
            try approval.apply(.signOff(department: "market", approve: false, opinion: "改变主意"), at: Self.later)
        })
        // Then it is refused and the first opinion stands
        #expect(error.entity == "approval case")
        #expect(error.id == "SP-2026-0001")
        #expect(error.event == "sign off")
        #expect(error.from == "under_review")
        #expect(error.reason.contains("market"))
        #expect(error.reason.contains("already signed"))
        #expect(approval == before)
        #expect(approval.steps[0].state == .approved)
        #expect(approval.version == 2)
    }

    @Test func rejects_a_sign_off_by_a_department_without_a_step() throws {
        var approval = try Self.approval(.underReview)
        let before = approval
        let error = try #require(refusal {
            try approval.apply(.signOff(department: "tax", approve: true, opinion: "同意"), at: Self.later)
        })
        #expect(error.from == "under_review")
        #expect(error.reason.contains("tax"))
        #expect(approval == before)
        #expect(approval.version == 1)
    }

    @Test func rejects_a_sign_off_before_review_starts() throws {
        var approval = try Self.approval(.accepted)
        let before = approval
        let error = try #require(refusal {
            try approval.apply(.signOff(department: "market", approve: true, opinion: "同意"), at: Self.later)
        })
        #expect(error == TransitionError(entity: "approval case", id: "SP-2026-0001", event: "sign off",
                                         from: "accepted", reason: "sign-off happens only while the case is under review"))
        #expect(approval == before)
    }

    // MARK: Supplements and withdrawal

    @Test(arguments: [ApprovalStatus.accepted, .underReview])
    func a_supplement_suspends_the_case_until_review_resumes(_ status: ApprovalStatus) throws {
        var approval = try Self.approval(status)
        try approval.apply(.requestSupplement(reason: "补充消防平面图"), at: Self.later)
        #expect(approval.status == .suspended)
        #expect(approval.updatedAt == Self.later)
        let resumed = Self.later.addingTimeInterval(86_400)
        try approval.apply(.resume, at: resumed)
        #expect(approval.status == .underReview)
        #expect(approval.updatedAt == resumed)
        #expect(approval.version == 3)
    }

    @Test func a_suspended_case_accepts_no_sign_off() throws {
        var approval = try Self.approval(.suspended)
        let before = approval
        let error = try #require(refusal {
            try approval.apply(.signOff(department: "market", approve: true, opinion: "同意"), at: Self.later)
        })
        #expect(error.from == "suspended")
        #expect(approval == before)
    }

    @Test(arguments: ["", "   "])
    func rejects_a_supplement_request_that_does_not_say_what_is_missing(_ reason: String) throws {
        var approval = try Self.approval(.underReview)
        let before = approval
        let error = try #require(refusal { try approval.apply(.requestSupplement(reason: reason), at: Self.later) })
        #expect(error.event == "request a supplement")
        #expect(error.from == "under_review")
        #expect(approval == before)
    }

    @Test(arguments: ["\n", " \r\n "])
    func rejects_a_supplement_request_of_only_line_breaks(_ reason: String) throws {
        var approval = try Self.approval(.underReview)
        let before = approval
        let error = try #require(refusal { try approval.apply(.requestSupplement(reason: reason), at: Self.later) })
        #expect(error.event == "request a supplement")
        #expect(approval == before)
    }

    @Test func a_case_decided_on_its_deadline_day_is_on_time() throws {
        // Given a deadline of 2026-03-04 and the last sign-off at 17:00 that day, Shanghai time
        var approval = try Self.approval(.underReview, departments: ["market"], deadline: "2026-03-04")
        try approval.apply(.signOff(department: "market", approve: true, opinion: "同意"),
                           at: try instant("2026-03-04T17:00:00+08:00"))
        // Then it finished on time
        #expect(approval.completedOn == (try day("2026-03-04")))
        #expect(approval.finishedOnTime == true)
    }

    @Test func a_case_decided_after_local_midnight_of_its_deadline_is_late() throws {
        // Given a deadline of 2026-03-04; 2026-03-04T16:30Z is 00:30 on 5 March in Shanghai
        var approval = try Self.approval(.underReview, departments: ["market"], deadline: "2026-03-04")
        try approval.apply(.signOff(department: "market", approve: false, opinion: "不符合条件"),
                           at: try instant("2026-03-04T16:30:00Z"))
        // Then it was decided on 5 March, one day late
        #expect(approval.status == .rejected)
        #expect(approval.completedOn == (try day("2026-03-05")))
        #expect(approval.finishedOnTime == false)
    }

    @Test func an_open_case_has_no_on_time_verdict_yet() throws {
        for status in [ApprovalStatus.accepted, .underReview, .suspended] {
            #expect(try Self.approval(status).finishedOnTime == nil)
        }
    }

    @Test func a_withdrawn_case_has_no_on_time_verdict_even_with_a_completion_day() throws {
        var approval = try Self.approval(.withdrawn)
        approval.completedOn = try day("2026-02-20")
        #expect(approval.finishedOnTime == nil)
    }

    @Test func only_accepted_under_review_and_suspended_cases_are_open() {
        #expect(ApprovalStatus.allCases.filter(\.isOpen) == [.accepted, .underReview, .suspended])
    }

    @Test func approval_types_carry_their_catalogue_names() {
        #expect(ApprovalType.allCases.map(\.rawValue) == ["登记", "审批", "核准", "审核", "备案"])
        #expect(ApprovalType(rawValue: "核准") == .ratification)
    }
}
