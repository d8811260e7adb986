// A New Keynesian model that keeps the price level: p = p(-1) + pi is a unit root, and so is
// nominal money m; real balances mreal = m - p are stationary (cointegration). Written for
// geo-sym's comparison with Dynare's stoch_simul moments of non-stationary models.
var y_gap pi i v a u p m mreal r_real;
varexo eps_v eps_a eps_u;
parameters beta sigma kappa phi_pi phi_y rho_i rho_v rho_a rho_u eta;
beta = 0.99;
sigma = 1;
kappa = 0.1717;
phi_pi = 1.5;
phi_y = 0.125;
rho_i = 0.6;
rho_v = 0.5;
rho_a = 0.9;
rho_u = 0.7;
eta = 4;

model(linear);
y_gap = y_gap(+1) - (1/sigma)*(i - pi(+1)) + (1 - rho_a)*a;
pi = beta*pi(+1) + kappa*y_gap + u;
i = rho_i*i(-1) + (1 - rho_i)*(phi_pi*pi + phi_y*y_gap) + v;
v = rho_v*v(-1) + eps_v;
a = rho_a*a(-1) + eps_a;
u = rho_u*u(-1) + eps_u;
p = p(-1) + pi;
m = p + y_gap + a - eta*i;
mreal = m - p;
r_real = i - pi(+1);
end;

shocks;
var eps_v; stderr 0.25;
var eps_a; stderr 1;
var eps_u; stderr 0.3;
end;

stoch_simul(order=1, irf=12, ar=3, conditional_variance_decomposition=[1 4 10], nograph);
