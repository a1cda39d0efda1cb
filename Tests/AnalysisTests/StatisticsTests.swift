import Analysis
import TestSupport
import Testing

@Suite struct McNemarTestTests {
    // python -c "from statsmodels.stats.contingency_tables import mcnemar as m;
    //   print(m([[5,8],[2,5]],exact=True).pvalue, m([[100,30],[12,100]],exact=True).pvalue,
    //         m([[0,400],[350,0]],exact=True).pvalue)"
    // → 0.109375 0.007915897334896727 0.07350777405843484
    @Test(arguments: [
        (8, 2, 0.109375),  // 2·(C(10,0)+C(10,1)+C(10,2))/2^10 = 2·56/1024
        (30, 12, 0.007915897334896727),
        (400, 350, 0.07350777405843484),
        (3, 3, 1.0),  // 2·P(X ≤ 3 | n=6) = 2·42/64 > 1 → clipped to 1
        (0, 0, 1.0),  // no discordant pairs
    ])
    func exactPValueMatchesStatsmodels(b: Int, c: Int, expected: Double) {
        expectClose(McNemarTest(rightToWrong: b, wrongToRight: c).pValue, expected, rtol: 1e-9)
    }

    @Test func countsDiscordantItems() {
        let test = McNemarTest(baseline: [1, 1, 0, 0, 1], candidate: [0, 1, 1, 0, 0])
        #expect(test.rightToWrong == 2)
        #expect(test.wrongToRight == 1)
    }
}

@Suite struct WilsonIntervalTests {
    // python -c "from statsmodels.stats.proportion import proportion_confint as p;
    //   print(p(0,10,0.05,method='wilson'), p(10,10,0.05,method='wilson'),
    //         p(7,20,0.05,method='wilson'), p(1,1000,0.05,method='wilson'),
    //         p(3,12,0.1,method='wilson'))"
    @Test(arguments: [
        (0, 10, 0.05, 0.0, 0.27753279986288926),
        (10, 10, 0.05, 0.7224672001371106, 1.0),
        (7, 20, 0.05, 0.18119182410108203, 0.5671457233147638),
        (1, 1000, 0.05, 0.00017654637062607765, 0.005642558597957937),
        (3, 12, 0.1, 0.10465256557048916, 0.4873380318032493),
    ])
    func matchesStatsmodels(x: Int, n: Int, alpha: Double, lower: Double, upper: Double) {
        let interval = WilsonInterval(successes: x, trials: n, alpha: alpha)
        expectClose([interval.lower, interval.upper], [lower, upper], rtol: 1e-9, atol: 1e-12)
    }

    @Test func neverZeroWidthAtTheEdges() {
        #expect(WilsonInterval(successes: 0, trials: 50).upper > 0.05)
        #expect(WilsonInterval(successes: 50, trials: 50).lower < 0.95)
    }
}

@Suite struct HolmCorrectionTests {
    // python -c "from statsmodels.stats.multitest import multipletests as m;
    //   print(m([0.01,0.04,0.03],method='holm')[1], m([0.2,0.001,0.04,0.04,0.5],method='holm')[1])"
    // → [0.03 0.06 0.06] [0.4 0.005 0.16 0.16 0.5]
    @Test func matchesStatsmodels() {
        // Sorted 0.01, 0.03, 0.04 → 3·0.01 = 0.03, 2·0.03 = 0.06, max(0.06, 1·0.04) = 0.06.
        expectClose(HolmCorrection.adjust([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06], rtol: 1e-12)
        expectClose(
            HolmCorrection.adjust([0.2, 0.001, 0.04, 0.04, 0.5]), [0.4, 0.005, 0.16, 0.16, 0.5],
            rtol: 1e-12)
        #expect(HolmCorrection.adjust([]).isEmpty)
    }
}

@Suite struct NormalDistributionTests {
    // python -c "from scipy.stats import norm; print([norm.ppf(p) for p in
    //   (0.975, 0.95, 0.8, 1e-10, 0.01, 0.5)])"
    @Test(arguments: [
        (0.975, 1.959963984540054), (0.95, 1.6448536269514722), (0.8, 0.8416212335729143),
        (1e-10, -6.361340902404056), (0.01, -2.3263478740408408), (0.5, 0.0),
    ])
    func quantileMatchesScipy(p: Double, expected: Double) {
        expectClose(NormalDistribution.quantile(p), expected, rtol: 1e-12, atol: 1e-14)
    }
}
