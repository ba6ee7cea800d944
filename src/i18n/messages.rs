//! The message table. `{0}`, `{1}`… are filled with text at run time.

macro_rules! messages {
    ($($key:ident => $en:expr, $ko:expr;)*) => {
        /// A user-visible message.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($key,)* }

        impl Msg {
            /// Every message (for the completeness test).
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];

            /// English.
            pub fn en(self) -> &'static str {
                match self { $(Msg::$key => $en,)* }
            }

            /// Korean.
            pub fn ko(self) -> &'static str {
                match self { $(Msg::$key => $ko,)* }
            }
        }
    };
}

messages! {
    // Shell and navigation
    AppName => "Lookout", "Lookout";
    NavOverview => "Overview", "개요";
    NavIssues => "Issues", "이슈";
    NavTraces => "Traces", "트레이스";
    NavWall => "Wall", "월 디스플레이";
    NavSettings => "Settings", "설정";
    SkipToContent => "Skip to content", "본문으로 건너뛰기";
    Language => "Language", "언어";
    Theme => "Theme", "테마";
    ThemeLight => "Light", "밝게";
    ThemeDark => "Dark", "어둡게";
    ThemeSystem => "System", "시스템";
    Source => "Source", "소스";
    Project => "Project", "프로젝트";
    AllProjects => "All projects", "모든 프로젝트";
    Environment => "Environment", "환경";
    AllEnvironments => "All environments", "모든 환경";
    TimeRange => "Time range", "기간";
    Custom => "Custom", "사용자 지정";
    From => "From", "시작";
    To => "To", "끝";
    Apply => "Apply", "적용";
    Cancel => "Cancel", "취소";
    Refresh => "Refresh", "새로고침";
    NotFoundTitle => "Page not found", "페이지를 찾을 수 없습니다";
    NotFoundBody => "There is nothing at this address. Go back to the overview.", "이 주소에는 아무것도 없습니다. 개요로 돌아가세요.";
    BackToOverview => "Back to the overview", "개요로 돌아가기";
    PageNotLoaded => "This page's code could not be loaded: the network failed, or the dashboard was updated since this tab opened. Reload to get the current version; the rest of the dashboard still works.", "이 페이지의 코드를 불러오지 못했습니다. 네트워크에 문제가 있거나 이 탭을 연 뒤 대시보드가 업데이트되었습니다. 새로 고쳐 현재 버전을 받으세요. 대시보드의 나머지 부분은 계속 작동합니다.";
    Reload => "Reload", "다시 불러오기";

    // States
    Loading => "Loading…", "불러오는 중…";
    NoData => "No data for this selection.", "선택한 조건에 데이터가 없습니다.";
    StaleSince => "Stale since {0}", "{0}부터 갱신 안 됨";
    UpdatedAt => "Updated {0}", "{0}에 갱신";
    Retry => "Try again", "다시 시도";
    ShowMore => "Show {0} more", "{0}개 더 보기";
    ShowAll => "Show all", "모두 보기";
    ShowLess => "Show less", "접기";
    Truncated => "Showing {0} of {1}.", "{1}개 중 {0}개 표시.";
    Approximate => "Approximate", "근사치";
    JustNow => "just now", "방금";
    MinutesAgo => "{0} min ago", "{0}분 전";
    HoursAgo => "{0} h ago", "{0}시간 전";
    DaysAgo => "{0} d ago", "{0}일 전";
    NoSources => "No source is configured. Add one on the settings page.", "설정된 소스가 없습니다. 설정 페이지에서 추가하세요.";
    GoToSettings => "Open settings", "설정 열기";
    ConfigProblem => "config.json has a problem: {0}", "config.json에 문제가 있습니다: {0}";
    ConfigMissing => "config.json could not be loaded ({0}); using the sources saved in this browser.", "config.json을 불러오지 못했습니다({0}). 이 브라우저에 저장된 소스를 사용합니다.";

    // Errors: what failed and what to do
    ErrInvalidOrigin => "The server refused this page's origin ({0}). Sentry only accepts browser requests from an internal integration whose \"Authorized JavaScript Origins\" lists this origin: Settings → Developer Settings → Custom Integration → Internal, give it Read on Organization, Project, Issue & Event, add {1} to its origins, and use its token here. Or serve Lookout behind a same-origin proxy that adds the token.", "서버가 이 페이지의 출처({0})를 거부했습니다. Sentry는 \"Authorized JavaScript Origins\"에 이 출처가 등록된 내부 통합(Internal Integration) 토큰의 브라우저 요청만 허용합니다. 설정 → Developer Settings → Custom Integration → Internal에서 Organization, Project, Issue & Event 읽기 권한을 주고 출처에 {1}을(를) 추가한 뒤 그 토큰을 사용하세요. 또는 토큰을 대신 붙여 주는 같은 출처의 프록시 뒤에서 Lookout을 제공하세요.";
    ErrUnauthorized => "The token was refused (401): it is missing, mistyped, expired or revoked. Paste a valid token on the settings page.", "토큰이 거부되었습니다(401): 없거나, 잘못 입력되었거나, 만료되었거나, 폐기되었습니다. 설정 페이지에 유효한 토큰을 붙여 넣으세요.";
    ErrForbidden => "The token has no access to this (403). Give it the read scopes org:read, project:read and event:read, and access to this organization.", "토큰에 이 항목의 접근 권한이 없습니다(403). org:read, project:read, event:read 읽기 권한과 이 조직에 대한 접근 권한을 주세요.";
    ErrNotFound => "The server has no such page or object (404): {0}. Check the organization slug and the server's version.", "서버에 해당 페이지나 객체가 없습니다(404): {0}. 조직 슬러그와 서버 버전을 확인하세요.";
    ErrRateLimited => "The server is rate-limiting requests (429). Lookout waits and tries again by itself.", "서버가 요청 빈도를 제한하고 있습니다(429). Lookout이 기다렸다가 스스로 다시 시도합니다.";
    ErrServer => "The server failed ({0}). This is usually temporary; Lookout tries again by itself.", "서버 오류가 발생했습니다({0}). 보통 일시적이며 Lookout이 스스로 다시 시도합니다.";
    ErrRejected => "The server rejected the request ({0}): {1}", "서버가 요청을 거부했습니다({0}): {1}";
    ErrNetwork => "The server could not be reached: it is offline, the address is wrong, or it does not allow requests from this page (CORS). Check the URL on the settings page.", "서버에 연결할 수 없습니다. 서버가 꺼져 있거나, 주소가 잘못되었거나, 이 페이지의 요청을 허용하지 않습니다(CORS). 설정 페이지에서 URL을 확인하세요.";
    ErrTimeout => "The server did not answer in time. Lookout tries again by itself.", "서버가 제시간에 응답하지 않았습니다. Lookout이 스스로 다시 시도합니다.";
    ErrNotJson => "The server answered with a web page instead of data ({0}, {1}). A proxy or login page may be in the way; check the URL.", "서버가 데이터 대신 웹 페이지로 응답했습니다({0}, {1}). 프록시나 로그인 페이지가 끼어 있을 수 있으니 URL을 확인하세요.";
    ErrShape => "The server's answer did not have the expected shape: {0}", "서버 응답의 형식이 예상과 다릅니다: {0}";
    ErrTooLarge => "The server's answer is larger than {0} MB, so Lookout stopped reading it. Narrow the time range or filters.", "서버 응답이 {0} MB를 넘어 읽기를 멈췄습니다. 시간 범위나 필터를 좁혀 주세요.";
    ErrAborted => "The request was cancelled.", "요청이 취소되었습니다.";
    ErrConfig => "This source is not set up: {0}", "이 소스가 설정되지 않았습니다: {0}";
    TraceGlitchtip => "GlitchTip keeps the trace id of each event but no traces or spans, so this trace cannot be drawn. Its transactions are listed under Traces, grouped by name.", "GlitchTip은 이벤트마다 트레이스 ID는 보관하지만 트레이스와 스팬은 보관하지 않아 이 트레이스를 그릴 수 없습니다. 트랜잭션은 트레이스 화면에 이름별로 묶여 있습니다.";
    ErrUnsupported => "This server does not offer this view.", "이 서버는 이 화면을 제공하지 않습니다.";

    // Settings
    SettingsTitle => "Settings", "설정";
    SourcesTitle => "Sources", "소스";
    SourceName => "Name", "이름";
    SourceUrl => "Server URL", "서버 URL";
    SourceOrg => "Organization slug", "조직 슬러그";
    SourceKind => "Server type", "서버 종류";
    KindDetect => "Detect", "자동 감지";
    KindSentry => "Sentry", "Sentry";
    KindGlitchtip => "GlitchTip", "GlitchTip";
    Token => "Token", "토큰";
    TokenPlaceholder => "Paste a read-only token", "읽기 전용 토큰을 붙여 넣으세요";
    TokenSet => "A token is set", "토큰이 설정되어 있습니다";
    TokenNotSet => "No token", "토큰 없음";
    TokenFromConfig => "Token from config.json", "config.json의 토큰";
    RememberToken => "Remember on this device", "이 기기에 기억하기";
    RememberHint => "Without this, the token lasts until this tab closes.", "선택하지 않으면 이 탭을 닫을 때까지만 토큰이 유지됩니다.";
    ForgetToken => "Forget token", "토큰 지우기";
    TestConnection => "Test connection", "연결 테스트";
    Testing => "Testing…", "테스트 중…";
    ConnectionOk => "Connected to {0} ({1}): {2} projects.", "{0}({1})에 연결되었습니다: 프로젝트 {2}개.";
    AddSource => "Add source", "소스 추가";
    RemoveSource => "Remove", "삭제";
    SaveSources => "Save", "저장";
    Saved => "Saved.", "저장되었습니다.";
    ResetSources => "Reset to config.json", "config.json으로 되돌리기";
    ThisOrigin => "This page's origin: {0}", "이 페이지의 출처: {0}";
    TokenHelp => "Lookout only reads. Create a Sentry internal integration with Read on Organization, Project, Issue & Event, and list this page's origin under Authorized JavaScript Origins. A TV can receive the token in the address: …/wall#token=…", "Lookout은 읽기만 합니다. Organization, Project, Issue & Event 읽기 권한의 Sentry 내부 통합을 만들고 Authorized JavaScript Origins에 이 페이지의 출처를 등록하세요. TV는 주소로 토큰을 받을 수 있습니다: …/wall#token=…";
    InvalidUrl => "Enter an http(s) URL, e.g. https://sentry.example.com", "http(s) URL을 입력하세요. 예: https://sentry.example.com";
    MissingOrg => "Enter the organization slug", "조직 슬러그를 입력하세요";
    MissingName => "Enter a name", "이름을 입력하세요";
    DuplicateName => "Another source has this name", "같은 이름의 소스가 있습니다";
    TokenLinkAsk => "This link carries a new token for “{0}” ({1}), which already has a saved token. Replace it?", "이 링크에는 이미 토큰이 저장된 “{0}”({1})의 새 토큰이 들어 있습니다. 바꿀까요?";
    TokenLinkReplace => "Replace the saved token", "저장된 토큰 바꾸기";
    TokenLinkKeep => "Keep the saved token", "저장된 토큰 유지";
    TokenStoredFromLink => "The token from the link was saved for source {0} and removed from the address bar.", "링크의 토큰을 {0} 소스에 저장하고 주소창에서 지웠습니다.";

    // Overview
    OverviewTitle => "Errors by server", "서버별 에러";
    BigErrors => "Errors", "에러";
    BigServers => "Affected servers", "영향받은 서버";
    BigServersOf => "of {0} seen", "확인된 {0}대 중";
    BigNewIssues => "New issues", "새 이슈";
    BigUsers => "Users affected", "영향받은 사용자";
    BigWorst => "Worst server now", "현재 가장 나쁜 서버";
    VsPrevious => "{0} vs previous", "이전 대비 {0}";
    NoPrevious => "no previous data", "이전 데이터 없음";
    GroupBy => "Group by", "그룹 기준";
    GroupServer => "Server", "서버";
    GroupCloud => "Cloud", "클라우드";
    GroupRegion => "Region", "리전";
    GroupConfigured => "Server groups", "서버 그룹";
    GroupEnvironment => "Environment", "환경";
    GroupRelease => "Release", "릴리스";
    GroupProject => "Project", "프로젝트";
    ChartStacked => "Stacked", "누적";
    ChartLines => "Lines", "선";
    SortBy => "Sort", "정렬";
    SortTotal => "Total", "합계";
    SortRise => "Recent rise", "최근 증가";
    SortName => "Name", "이름";
    Legend => "Legend", "범례";
    Total => "Total", "합계";
    Remainder => "No server / other", "서버 없음 / 기타";
    OtherServers => "{0} other servers", "기타 서버 {0}대";
    NavTimeline => "Timeline", "타임라인";
    NavPerformance => "Performance", "성능";
    PerformanceTitle => "Performance by server", "서버별 성능";
    PerformanceHint => "How fast each server answers each transaction in this window, against the window before. Rows whose p95 rose by more than the threshold are marked and link to that server's slowest traces.", "이 구간에서 서버마다 각 트랜잭션에 얼마나 빨리 응답했는지, 이전 구간과 비교합니다. p95가 기준보다 많이 오른 줄은 표시되며 그 서버의 가장 느린 트레이스로 이어집니다.";
    PerfP50 => "p50", "p50";
    PerfP99 => "p99", "p99";
    PerfFailures => "Failed", "실패율";
    PerfP95Col => "p95", "p95";
    PerfTpm => "Per min", "분당";
    PerfChange => "p95 vs before", "이전 대비 p95";
    SlowestTraces => "Slowest traces", "가장 느린 트레이스";
    PerfSlowerCount => "{0} server transactions are more than {1}% slower (p95) than the window before.", "서버 트랜잭션 {0}개의 p95가 이전 구간보다 {1}% 넘게 느려졌습니다.";
    PerfP95OverTime => "p95 over time, per server", "서버별 p95 추이";
    PerfByTransaction => "Server × transaction", "서버 × 트랜잭션";
    PerfGlitchtipMissing => "GlitchTip records each transaction group's average duration and count only: percentiles (p50, p95, p99), failure rate, per-server figures, the change against the window before and against the release before are not available from it.", "GlitchTip은 트랜잭션 그룹마다 평균 시간과 개수만 기록합니다. 백분위(p50, p95, p99), 실패율, 서버별 수치, 이전 구간 및 이전 릴리스 대비 변화는 얻을 수 없습니다.";
    TimelineTitle => "Fleet timeline", "전체 서버 타임라인";
    TimelineHint => "Every error of the window on its server's lane, coloured by issue; a diamond marks an issue's first event on a server. Drag across the lanes to zoom in, click a mark to open that event.", "구간의 모든 에러를 서버별 줄에 이슈 색으로 표시합니다. 마름모는 그 서버에서 이슈의 첫 이벤트입니다. 줄 위를 끌면 확대하고, 표시를 누르면 그 이벤트를 엽니다.";
    NoServer => "No server", "서버 없음";
    LaneServers => "{0} · {1} servers", "{0} · 서버 {1}대";
    SpreadFirst => "first on {0} at {1}, then", "{1}에 {0}에서 처음, 이어서";
    SpreadOnly => "only on {0}, since {1}", "{0}에서만, {1}부터";
    SpreadMore => "+{0} more servers", "서버 {0}대 더";
    OnlyThisIssue => "Only this issue", "이 이슈만";
    OnlyIssueClear => "Issue {0} only — show all", "이슈 {0}만 표시 중 — 모두 보기";
    TimelineSpreadTitle => "Issues in view: where each appeared first and how it spread", "보이는 이슈: 각각 처음 나타난 곳과 퍼진 순서";
    MoreIssues => "{0} more issues in view", "보이는 이슈 {0}개 더";
    TimelineBounded => "This window holds {0} events; the timeline shows the latest {1}, since {2}.", "이 구간의 이벤트는 {0}개이며, 타임라인은 {2} 이후 최근 {1}개를 보여 줍니다.";
    TimelineNarrow => "Show the last hour", "최근 1시간 보기";
    TimelineGlitchtipBound => "GlitchTip lists events page by page: older events past the newest {0} of a project are not read.", "GlitchTip은 이벤트를 쪽 단위로 줍니다. 프로젝트마다 최근 {0}개보다 오래된 이벤트는 읽지 않았습니다.";
    TimelineQueryHint => "e.g. release:api@1.4.2", "예: release:api@1.4.2";
    SeriesCount => "{0} series, all shown", "{0}개 계열, 모두 표시";
    Heatmap => "Server × time", "서버 × 시간";
    HeatmapHint => "One row per server; darker means more errors. Click a row to see its issues, a column to zoom in.", "서버마다 한 줄, 진할수록 에러가 많습니다. 줄을 누르면 이슈를, 열을 누르면 그 시간으로 확대합니다.";
    Matrix => "Which server has which error", "어느 서버에 어떤 에러가 있나";
    MatrixHint => "Top issues of the window by server.", "기간 내 상위 이슈의 서버별 건수.";
    Releases => "Releases", "릴리스";
    Performance => "Performance by server", "서버별 성능";
    PerfP95 => "p95 duration", "p95 응답 시간";
    PerfThroughput => "Throughput (per min)", "처리량(분당)";
    PerfNone => "This source has no transactions to show.", "이 소스에는 표시할 트랜잭션이 없습니다.";
    PerfGlitchtip => "GlitchTip keeps durations per transaction, not per server: here are its transaction groups in this window.", "GlitchTip은 응답 시간을 서버별이 아니라 트랜잭션별로 보관합니다. 이 기간의 트랜잭션 그룹입니다.";
    PerfAvg => "Average duration", "평균 응답 시간";
    GlitchtipCounted => "GlitchTip has no time-series API: every figure here is counted from each event in the window, by the time GlitchTip received it.", "GlitchTip에는 시계열 API가 없습니다. 여기의 모든 수치는 기간 안의 이벤트를 GlitchTip이 받은 시각 기준으로 하나하나 세어 얻었습니다.";
    PartsFailed => "{0} of {1} parts failed ({2}). The figures show what arrived; a failed part keeps its last good data, which may be stale.", "{1}개 중 {0}개 부분을 받지 못했습니다({2}). 받은 것만으로 수치를 보여 주며, 받지 못한 부분은 마지막으로 받은 데이터를 유지하므로 오래되었을 수 있습니다.";
    GtBounded => "This window holds more events than are read per refresh (at most {0} per project): the oldest are not counted. Narrow the window for exact figures.", "이 기간에는 한 번에 읽는 양(프로젝트당 최대 {0}개)보다 많은 이벤트가 있어 가장 오래된 것은 세지 않았습니다. 정확한 수치를 보려면 기간을 좁히세요.";
    ZoomHint => "Click a time to zoom in", "시간을 누르면 확대합니다";
    Since => "since {0}", "{0}부터";
    RequestsThisRefresh => "{0} requests", "요청 {0}건";

    // Issues
    IssuesTitle => "Issues", "이슈";
    SearchPlaceholder => "Search: is:unresolved server_name:aws-* level:error …", "검색: is:unresolved server_name:aws-* level:error …";
    Search => "Search", "검색";
    SortLastSeen => "Last seen", "최근 발생";
    SortFirstSeen => "First seen", "최초 발생";
    SortEvents => "Events", "이벤트 수";
    SortUsers => "Users", "사용자 수";
    ColIssue => "Issue", "이슈";
    ColGraph => "Last 24 hours", "최근 24시간";
    ColEvents => "Events", "이벤트";
    ColUsers => "Users", "사용자";
    ColServers => "Servers", "서버";
    ColSeen => "Seen", "발생";
    NewSinceRefresh => "New", "새로움";
    NextPage => "Next", "다음";
    PrevPage => "Previous", "이전";
    KeyboardHint => "j / k to move, Enter to open", "j / k 이동, Enter 열기";
    NoIssues => "No issues match this search.", "검색에 맞는 이슈가 없습니다.";
    Unhandled => "Unhandled", "처리되지 않음";
    FirstSeen => "First seen", "최초 발생";
    LastSeen => "Last seen", "최근 발생";
    FirstRelease => "First release", "최초 릴리스";
    LastRelease => "Last release", "최근 릴리스";
    Status => "Status", "상태";
    Level => "Level", "수준";
    OpenInSource => "Open in {0}", "{0}에서 열기";
    LinkedIssues => "Linked issues", "연결된 이슈";
    ServerDistribution => "Servers", "서버 분포";
    AllServersOf => "All {0} servers", "서버 {0}대 전체";
    TagDistributions => "Tags", "태그";
    EventsOverTime => "Events over time", "시간별 이벤트";
    Exception => "Exception", "예외";
    StackTrace => "Stack trace", "스택 트레이스";
    SystemFrames => "{0} system frames", "시스템 프레임 {0}개";
    Variables => "Variables", "변수";
    Breadcrumbs => "What happened before", "에러 직전에 일어난 일";
    FilterLevel => "Level", "수준";
    FilterCategory => "Category", "분류";
    AllLevels => "All levels", "모든 수준";
    AllCategories => "All categories", "모든 분류";
    Request => "Request", "요청";
    User => "User", "사용자";
    Contexts => "Contexts", "컨텍스트";
    Tags => "Tags", "태그";
    Message => "Message", "메시지";
    OlderEvent => "Older", "이전 이벤트";
    NewerEvent => "Newer", "다음 이벤트";
    LatestEvent => "Latest", "최신";
    EventOf => "Event {0}", "이벤트 {0}";
    ViewTrace => "View trace", "트레이스 보기";
    NoStack => "This event has no stack trace.", "이 이벤트에는 스택 트레이스가 없습니다.";
    AtTheError => "the error", "에러 발생";
    Raised => "raised", "발생";
    CausedBy => "caused by", "원인";
    Handled => "Handled", "처리됨";
    Occurrences => "{0} events, {1} users", "이벤트 {0}건, 사용자 {1}명";
    EventTooBig => "This event is very large; only part of it is shown.", "이 이벤트는 매우 커서 일부만 표시합니다.";

    // Traces
    TracesTitle => "Traces", "트레이스";
    TracesHint => "Recent slow or failing transactions per server.", "서버별 최근의 느리거나 실패한 트랜잭션.";
    SlowTransactions => "Slowest", "가장 느림";
    FailingTransactions => "Failing", "실패";
    ColTransaction => "Transaction", "트랜잭션";
    ColOp => "Operation", "작업";
    ColDuration => "Duration", "소요 시간";
    ColServer => "Server", "서버";
    ColWhen => "When", "시각";
    TraceTitle => "Trace {0}", "트레이스 {0}";
    Spans => "{0} spans", "스팬 {0}개";
    ErrorsCount => "{0} errors", "에러 {0}건";
    OrphanErrors => "Errors outside any span", "스팬 밖의 에러";
    TraceErrors => "Errors in this trace ({0})", "이 트레이스의 에러 ({0})";
    TroubleTitle => "Servers in trouble: the largest rise against the previous window", "문제 서버: 이전 구간 대비 가장 많이 늘어난 서버";
    NoTrouble => "No server has more errors than in the previous window.", "이전 구간보다 에러가 늘어난 서버가 없습니다.";
    ColChange => "vs previous", "이전 대비";
    ColTopIssue => "Top issue there", "주요 이슈";
    FromZero => "from 0", "0에서";
    HeatLegend => "Colour scale: events per cell", "색 눈금: 칸당 이벤트";
    HeatLegendPer => "events per {0} at most", "{0}당 최대 이벤트";
    HeatLegendP95 => "the slowest p95 in {0}", "{0} 중 가장 느린 p95";
    PerfHeatmap => "p95 by server and time", "서버·시간별 p95";
    PerfReleases => "Slower since a release", "릴리스 이후 느려진 곳";
    PerfReleasesHint => "The latest {0} releases, each against the release before it: the transactions whose p95 rose by more than {1}% on a server (successful transactions only, at least {2} under each release).", "최근 릴리스 {0}개를 각각 직전 릴리스와 비교합니다. 어떤 서버에서 p95가 {1}% 넘게 오른 트랜잭션입니다 (성공한 트랜잭션만, 릴리스마다 {2}개 이상).";
    PerfReleaseHead => "{0}, deployed {1}, against {2}", "{0}, {1} 배포, {2}와 비교";
    PerfReleaseFirst => "{0}, deployed {1}: no earlier release to compare with", "{0}, {1} 배포: 비교할 이전 릴리스가 없습니다";
    PerfReleaseNone => "No transaction got slower than the threshold on any server.", "어느 서버에서도 기준보다 느려진 트랜잭션이 없습니다.";
    PerfReleaseSlower => "slower on", "느려진 서버";
    NoReleases => "No releases in these projects.", "이 프로젝트에는 릴리스가 없습니다.";
    SpanDetails => "Span", "스팬";
    Operation => "Operation", "작업";
    Description => "Description", "설명";
    Duration => "Duration", "소요 시간";
    SelfTime => "Self time", "자체 시간";
    SpanData => "Data", "데이터";
    FindInTrace => "Find in trace", "트레이스에서 찾기";
    MatchOf => "{0} of {1}", "{1}개 중 {0}";
    NoMatch => "No match", "일치 없음";
    ZoomReset => "Show the whole trace", "전체 보기";
    Collapse => "Collapse", "접기";
    Expand => "Expand", "펼치기";
    TraceEmpty => "This trace has no spans (yet). It may be older than the server keeps, or still arriving.", "이 트레이스에는 (아직) 스팬이 없습니다. 서버 보관 기간보다 오래되었거나 아직 도착 중일 수 있습니다.";
    NoTracesGlitchtip => "This server (GlitchTip) records transactions but not their spans, so there is no waterfall. Here is what it has: transaction groups with their average duration.", "이 서버(GlitchTip)는 트랜잭션은 기록하지만 스팬은 기록하지 않아 워터폴을 그릴 수 없습니다. 대신 트랜잭션 그룹과 평균 소요 시간을 보여 줍니다.";
    AvgDuration => "Average", "평균";
    Count => "Count", "건수";
    TraceTruncated => "The trace is larger than Lookout shows; the rest was cut.", "트레이스가 너무 커서 일부를 잘랐습니다.";
    WiderWindow => "Nothing came back; searched a wider window (30 days).", "결과가 없어 더 넓은 기간(30일)으로 다시 찾았습니다.";

    // Wall
    WallPaused => "Paused", "일시 정지";
    WallNext => "Next view in {0} s", "{0}초 후 다음 화면";
    WallKeys => "Space: pause · ←/→: previous / next", "Space: 일시 정지 · ←/→: 이전 / 다음";
    NewSince => "New since {0}", "{0} 이후 새로 발생";
    NewIssueFlag => "new issue", "새 이슈";
    RegressionFlag => "regression", "재발";
    NewServerFlag => "first time on {0}", "{0}에서 처음 발생";
    TopIssues => "Top issues", "상위 이슈";
    NewIssues => "New issues", "새 이슈";
    SourceStatus => "Sources", "소스 상태";
    SourceOk => "OK", "정상";
    NextRefresh => "Next refresh in {0} s", "{0}초 후 새로고침";
}
