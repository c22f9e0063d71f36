"""The glossary in Korean: the same terms as generator/story/glossary.py, by the same anchors.

A Korean lede explains a term in brackets once a week (신용거래융자(투자자가 주식을 사려고
증권사에서 빌린 돈)) and links it to the Korean glossary page on the other days; which days is
decided by the same ``Explainer`` as in English.
"""

from __future__ import annotations

from generator.story.glossary import TERMS, Term

TERMS_KO: dict[str, Term] = {
    t.slug: t
    for t in (
        Term(
            "margin-loans",
            "신용거래융자",
            "투자자가 주식을 사려고 증권사에서 빌린 돈",
            "투자자가 보유 주식을 담보로 증권사에서 빌려 주식을 산 돈이다. 잔액이 늘면 시장의 매수 가운데 빚으로 "
            "산 몫이 커졌다는 뜻이고, 주가가 급락하면 담보가 부족한 계좌의 주식을 증권사가 팔아(반대매매) 하락이 "
            "깊어질 수 있다.",
        ),
        Term(
            "stock-lending",
            "대차거래 잔액",
            "공매도에 앞서 빌리는 경우가 많은 주식",
            "빌려준 뒤 아직 돌려받지 않은 주식이다. 공매도하려면 먼저 주식을 빌려야 하므로 잔액이 늘면 공매도가 "
            "늘어날 조짐으로 읽히는 경우가 많다. 공매도가 금지된 동안에는 다른 거래에 쓰인다.",
        ),
        Term(
            "correction",
            "조정 국면",
            "사상 최고 종가보다 10% 이상 내린 상태",
            "지수 종가가 사상 최고 종가보다 10% 이상 낮은 상태다.",
        ),
        Term(
            "bear-market",
            "약세장",
            "사상 최고 종가보다 20% 이상 내린 상태",
            "지수 종가가 사상 최고 종가보다 20% 이상 낮은 상태다.",
        ),
        Term(
            "sidecar",
            "사이드카",
            "프로그램매매를 5분간 멈추는 조치",
            "주가지수선물이 전일 종가보다 코스피200은 5%, 코스닥150은 6% 이상 1분간 움직이면 거래소가 "
            "프로그램매매 호가의 효력을 5분간 정지하는 조치다.",
        ),
        Term(
            "circuit-breaker",
            "서킷브레이커",
            "급락 때 모든 거래를 멈추는 조치",
            "지수가 전일 종가보다 8% 떨어지면 모든 거래를 20분간 멈추고, 15%에서 다시 멈추며, 20% 떨어지면 "
            "그날 거래를 끝내는 조치다.",
        ),
        Term(
            "net-buying",
            "순매수",
            "산 주식의 금액에서 판 주식의 금액을 뺀 값",
            "투자자 유형별로 그날 산 주식의 금액에서 판 주식의 금액을 뺀 값(원)이다. 거래소는 투자자를 외국인, "
            "기관, 개인으로 나눈다.",
        ),
    )
}

assert set(TERMS_KO) == set(TERMS), "every glossary term has a Korean entry"
